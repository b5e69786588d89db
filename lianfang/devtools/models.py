from django.db import models


class BenchWrite(models.Model):
    """One row per request of the benchmark's baseline endpoint (``/bench/write``, served only
    when ``LIANFANG_BENCH=1``): the cheapest write the same server can do."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"bench {self.pk}"
