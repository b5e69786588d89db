// Errors of forms that post with fetch (phone pages), shown the way includes/form.html shows a
// server-rendered form's: the input marked is-invalid + aria-invalid and pointing at its message
// (aria-describedby), the message visible beside it; a message with no field on the page goes
// to the form's alert, so nothing the server said is lost. The API's error body is
// {"code", "message", "fields": {name: [messages]}}.
(function () {
  "use strict";
  var seq = 0;

  function mark(input, box, text) {
    if (input) {
      input.classList.add("is-invalid");
      input.setAttribute("aria-invalid", "true");
    }
    if (!box) { return false; }
    if (!box.id) { seq += 1; box.id = "lf-error-" + seq; }
    box.textContent = text;
    box.classList.add("invalid-feedback", "d-block");
    if (input) { input.setAttribute("aria-describedby", box.id); }
    return true;
  }

  // The default lookup: <input name="x"> and its box <div data-error-for="x">.
  function byName(form, name) {
    return {
      input: form.querySelector("[name='" + name + "']"),
      box: form.querySelector("[data-error-for='" + name + "']")
    };
  }

  // A page answered with a refused form (often far down a long page, e.g. the review under a
  // report's figures) brings its first error into view: the first invalid field gets the focus,
  // or the form's alert is scrolled to when it comes first.
  function revealFirstError() {
    var first = document.querySelector("form [role=alert], form [aria-invalid=true]");
    if (!first) { return; }
    if (first.getAttribute("aria-invalid") === "true" && first.focus) {
      first.focus({ preventScroll: true });
    }
    first.scrollIntoView({ block: "center" });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", revealFirstError);
  } else {
    revealFirstError();
  }

  window.lfForms = {
    // Remove every mark and message that show() made.
    clear: function (form, alert) {
      form.querySelectorAll("[aria-invalid=true], .is-invalid").forEach(function (el) {
        el.classList.remove("is-invalid");
        el.removeAttribute("aria-invalid");
        if ((el.getAttribute("aria-describedby") || "").indexOf("lf-error-") === 0) {
          el.removeAttribute("aria-describedby");
        }
      });
      form.querySelectorAll(".invalid-feedback").forEach(function (el) {
        el.textContent = "";
        el.classList.remove("invalid-feedback", "d-block");
      });
      if (alert) { alert.className = ""; alert.textContent = ""; alert.removeAttribute("role"); }
    },
    // Show an error body. find(name) -> {input, box} overrides the lookup by name (for rows
    // such as "occupants.0.temperature"); alert receives the message and the unplaced ones.
    show: function (form, body, alert, find) {
      var unplaced = [];
      var fields = (body && body.fields) || {};
      Object.keys(fields).forEach(function (name) {
        var text = fields[name].join(" ");
        var target = (find && find(name)) || byName(form, name);
        if (!mark(target.input, target.box, text)) { unplaced.push(text); }
      });
      if (!alert) { return unplaced; }
      alert.className = "alert alert-danger py-2";
      alert.setAttribute("role", "alert");
      alert.textContent = "";
      [(body && body.message) || ""].concat(unplaced).forEach(function (text) {
        if (!text) { return; }
        var line = document.createElement("div");
        line.textContent = text;
        alert.appendChild(line);
      });
      return unplaced;
    }
  };
})();
