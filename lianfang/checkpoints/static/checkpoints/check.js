// The checkpoint phone page: one vehicle after another without a page load. The form posts
// JSON to the API with a client key (a retried submission from a flaky connection is recorded
// once), shows the result, and resets for the next vehicle. No inline script (strict CSP).
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) { return; }
  var list = document.getElementById("occupants");
  var tpl = document.getElementById("occupant-template");
  var result = document.getElementById("check-result");
  var recent = document.getElementById("recent-checks");
  var fever = parseFloat(form.getAttribute("data-fever"));
  var pendingKey = null;
  function t(name) { return form.getAttribute("data-t-" + name) || ""; }

  function key() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }
  function csrf() {
    var el = form.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }
  function renumber() {
    list.querySelectorAll(".lf-occupant").forEach(function (el, i) {
      el.querySelector("[data-seq]").textContent = String(i + 1);
    });
  }
  function addOccupant() {
    var node = tpl.content.firstElementChild.cloneNode(true);
    node.querySelector("[data-remove]").addEventListener("click", function () {
      node.remove(); renumber();
    });
    var outcome = node.querySelector("[data-f=outcome]");
    var temp = node.querySelector("[data-f=temperature]");
    function sync() {
      var handover = outcome.value === "handover";
      node.querySelectorAll(".lf-handover").forEach(function (el) { el.classList.toggle("d-none", !handover); });
      // A fever is flagged, never re-decided here: the officer chooses, the server refuses a
      // fever that is not sent to the fever clinic (and says so beside the choice).
      var c = parseFloat(temp.value);
      var hot = !isNaN(c) && c >= fever;
      temp.classList.toggle("is-invalid", hot);
      var box = node.querySelector("[data-e=outcome]");
      var wrong = hot && outcome.value !== "fever_clinic";
      outcome.classList.toggle("is-invalid", wrong);
      box.textContent = wrong ? t("fever-rule") : "";
      box.classList.toggle("d-block", wrong);
    }
    outcome.addEventListener("change", sync);
    temp.addEventListener("input", sync);
    list.appendChild(node);
    renumber();
    node.querySelector("[data-f=full_name]").focus();
  }
  // An occupant's field "occupants.<i>.<name>" is found in its row; the rest by name.
  function findField(name) {
    var m = /^occupants\.(\d+)\.(\w+)$/.exec(name);
    if (!m) { return null; }
    var occ = list.querySelectorAll(".lf-occupant")[parseInt(m[1], 10)];
    if (!occ) { return { input: null, box: null }; }
    return { input: occ.querySelector("[data-f=" + m[2] + "]"), box: occ.querySelector("[data-e=" + m[2] + "]") };
  }
  function payload(priority) {
    var data = {
      plate: form.plate.value, plate_reason: form.plate_reason.value,
      vehicle_type: form.vehicle_type.value, direction: form.direction.value,
      origin: form.origin.value, destination: form.destination.value,
      priority: priority || "", client_key: pendingKey, occupants: []
    };
    if (!priority) {
      list.querySelectorAll(".lf-occupant").forEach(function (el) {
        var o = { symptoms: [] };
        el.querySelectorAll("[data-f]").forEach(function (input) { o[input.getAttribute("data-f")] = input.value; });
        if (o.temperature === "") { o.temperature = null; }
        el.querySelectorAll("[data-symptom]:checked").forEach(function (c) { o.symptoms.push(c.getAttribute("data-symptom")); });
        data.occupants.push(o);
      });
    }
    return data;
  }
  // The API's times are ISO instants (UTC): shown in the district's time zone, not the phone's.
  var zone = form.getAttribute("data-tz") || undefined;
  function clock(iso) {
    var when = new Date(iso);
    try {
      return new Intl.DateTimeFormat("zh-CN", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(when);
    } catch (e) {
      return when.toTimeString().slice(0, 5);
    }
  }
  function say(kind, text) {
    result.className = "alert alert-" + kind + " py-2";
    result.textContent = text;
  }
  function send(priority) {
    if (!pendingKey) { pendingKey = key(); }
    window.lfForms.clear(form, result);
    var button = document.getElementById("check-submit");
    button.disabled = true;
    fetch(form.getAttribute("data-api"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(payload(priority))
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      button.disabled = false;
      if (res.status === 200 || res.status === 201) {
        pendingKey = null;
        var b = res.body;
        var fevers = b.occupants.filter(function (o) { return o.fever; }).length;
        var text = b.plate + " ✓ " + b.occupants.length + t("people");
        if (b.handovers.length) { text += " · " + t("handover") + " " + b.handovers.length; }
        if (fevers) { text += " · " + t("fever") + " " + fevers; }
        say(fevers ? "warning" : "success", text);
        document.getElementById("key-area-warning").classList.toggle("d-none", !b.key_area);
        var li = document.createElement("li");
        li.className = "list-group-item";
        li.setAttribute("data-check", b.id);
        li.textContent = clock(b.checked_at) + " " + text;
        recent.insertBefore(li, recent.firstChild);
        form.plate.value = ""; form.plate_reason.value = ""; form.destination.value = "";
        list.innerHTML = "";
        addOccupant();
        form.plate.focus();
      } else {
        window.lfForms.show(form, { message: res.body.message || "error", fields: res.body.fields }, result, findField);
      }
    }).catch(function () {
      button.disabled = false;
      say("danger", t("offline"));
    });
  }
  // A vehicle from a key area (by the origin answered, not by the plate) is highlighted at once.
  var keyAreas = JSON.parse(document.getElementById("lf-key-areas").textContent || "[]");
  var warning = document.getElementById("key-area-warning");
  form.origin.addEventListener("change", function () {
    var origin = form.origin.value;
    var hit = origin && keyAreas.some(function (p) { return origin.indexOf(p) === 0; });
    warning.classList.toggle("d-none", !hit);
    form.origin.classList.toggle("border-danger", !!hit);
  });
  document.getElementById("add-occupant").addEventListener("click", addOccupant);
  form.addEventListener("submit", function (e) { e.preventDefault(); send(""); });
  form.querySelectorAll("[data-priority]").forEach(function (b) {
    b.addEventListener("click", function () { pendingKey = key(); send(b.getAttribute("data-priority")); });
  });
  // Any edit after a failed attempt is a new submission.
  form.addEventListener("input", function () { if (result.classList.contains("alert-danger")) { pendingKey = null; } });
  addOccupant();
})();
