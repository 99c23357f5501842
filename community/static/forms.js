// Forms that keep what people type and show what went wrong. Progressive
// enhancement: every form works without this file (the error summary has autofocus,
// refused forms come back with their text from the server).
(function () {
  "use strict";

  var PREFIX = "draft:";

  function store() {
    try { return window.localStorage; } catch (e) { return null; }  // storage may be off
  }

  // -- The error summary: focus it, and let its links put the cursor in the field.
  function setupSummary(summary) {
    if (document.activeElement !== summary) summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) return;
        event.preventDefault();
        var label = document.querySelector("label[for='" + field.id + "']");
        (label || field).scrollIntoView({ block: "center" });
        field.focus({ preventScroll: true });
      });
    });
  }

  // -- Drafts: one per form address (the same for everyone: the browser is the
  // member's), saved while typing, restored after a reload, a crash or a refused
  // post, cleared once the post went through (the next page names the form).
  function draftKey(form) {
    return PREFIX + new URL(form.action, location.href).pathname;
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && !el.name.endsWith("-csrf_token") &&
        (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
         (el.tagName === "INPUT" && (el.type === "text" || el.type === "search")));
    });
  }

  function read(key) {
    var storage = store();
    try { return storage ? JSON.parse(storage.getItem(key) || "null") : null; }
    catch (e) { return null; }
  }

  function save(form) {
    var storage = store();
    if (!storage) return;
    var values = {}, typed = false;
    draftFields(form).forEach(function (el) {
      values[el.name] = el.value;
      if (el.tagName !== "SELECT" && el.value.trim()) typed = true;
    });
    try {
      if (typed) storage.setItem(draftKey(form), JSON.stringify({ values: values, saved: Date.now() }));
      else storage.removeItem(draftKey(form));
    } catch (e) { /* full or refused: the form itself still holds the text */ }
  }

  function restore(form) {
    var draft = read(draftKey(form));
    if (!draft || !draft.values) return false;
    var fields = draftFields(form);
    // What the server sent back (a refused post) is newer than any draft.
    var filled = fields.some(function (el) { return el.tagName !== "SELECT" && el.value.trim(); });
    if (filled) return false;
    fields.forEach(function (el) {
      var value = draft.values[el.name];
      if (typeof value !== "string") return;
      if (el.tagName === "SELECT" && !el.querySelector("option[value='" + CSS.escape(value) + "']")) return;
      el.value = value;
    });
    return true;
  }

  function restoredNote(form) {
    var note = document.createElement("p");
    note.className = "draft-note";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-draft-restored") || "Your draft was restored.";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link";
    discard.textContent = form.getAttribute("data-draft-discard") || "Discard draft";
    discard.addEventListener("click", function () {
      draftFields(form).forEach(function (el) { if (el.tagName !== "SELECT") el.value = ""; });
      save(form);
      note.remove();
      var first = draftFields(form).filter(function (el) { return el.tagName !== "SELECT"; })[0];
      if (first) first.focus();
    });
    note.appendChild(document.createTextNode(" "));
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
  }

  function setupDraft(form) {
    if (restore(form)) {
      restoredNote(form);
      form.querySelectorAll("textarea").forEach(function (area) {
        area.dispatchEvent(new Event("input", { bubbles: true }));  // the live preview
      });
    }
    var timer = null;
    function later() { clearTimeout(timer); timer = setTimeout(function () { save(form); }, 300); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () { clearTimeout(timer); save(form); });
    window.addEventListener("pagehide", function () { clearTimeout(timer); save(form); });
  }

  function clearPosted() {
    var storage = store();
    if (!storage) return;
    document.querySelectorAll("[data-draft-posted]").forEach(function (el) {
      try { storage.removeItem(PREFIX + el.getAttribute("data-draft-posted")); } catch (e) { /* */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    clearPosted();  // before restoring: the thread page after a post has the form again
    document.querySelectorAll("form[data-draft]").forEach(setupDraft);
    var summary = document.querySelector("[data-error-summary]");
    if (summary) setupSummary(summary);
    // After a login, the kept text goes straight back to its form.
    var resume = document.querySelector("form[data-resume]");
    if (resume) resume.submit();
  });
})();
