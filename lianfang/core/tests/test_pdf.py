from lianfang.core import pdf


def test_pdf_renders_chinese_and_refuses_remote_urls(monkeypatch, tmp_path):
    (tmp_path / "t.html").write_text(
        '<html><body><h1>解除医学观察告知书</h1><img src="http://127.0.0.1:9/x.png">'
        '<img src="file:///etc/hostname"></body></html>',
        encoding="utf-8",
    )
    fetched = []
    from weasyprint.urls import URLFetcher

    original = URLFetcher.open

    def spy(self, *args, **kwargs):  # any network or file open would pass through here
        fetched.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(URLFetcher, "open", spy)
    monkeypatch.setattr(
        pdf, "render_to_string", lambda name, ctx: (tmp_path / name).read_text(encoding="utf-8")
    )
    out = pdf.render_pdf("t.html", {})
    assert out.startswith(b"%PDF")
    assert fetched == []
