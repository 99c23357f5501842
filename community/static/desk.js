// The agents' desk: keyboard shortcuts and the ticket page's folding facts.
// j / k: next / previous ticket; r: the official reply editor; a: assign to me;
// ?: the list of keys. Never while typing in a field, nor with Ctrl, Alt or Meta.
(function () {
  "use strict";

  var EDITOR = "#official-reply-form textarea[name=body]";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  // -- The queue: a selected row, moved with j and k.
  function list() { return document.querySelector("[data-ticket-list]"); }
  function rows() { return Array.prototype.slice.call(list().querySelectorAll(":scope > li")); }
  var selected = -1;

  function selectedIndex() {
    var found = rows().findIndex(function (row) { return row.contains(document.activeElement); });
    return found >= 0 ? found : selected;
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row, i) { row.classList.toggle("selected", i === selected); });
    var link = all[selected].querySelector("a.thread-title");
    if (link) link.focus();
  }

  function step(delta) {
    if (list()) {
      var index = selectedIndex();
      select(index < 0 ? 0 : index + delta);
      return;
    }
    // A ticket: the queue's next or previous one.
    var link = document.querySelector("a[data-shortcut='" + (delta > 0 ? "j" : "k") + "']");
    if (link) location.href = link.href;
  }

  function focusEditor() {
    var editor = document.querySelector(EDITOR);
    if (!editor) return false;
    editor.scrollIntoView({ block: "center" });
    editor.focus({ preventScroll: true });
    return true;
  }

  function reply() {
    if (focusEditor() || !list()) return;
    var row = rows()[selectedIndex()];
    var link = row && row.querySelector("a.thread-title");
    if (link) location.href = link.href + "#official-reply-form";
  }

  function assignToMe() {
    var scope = list() ? rows()[selectedIndex()] : document;
    var button = scope && scope.querySelector("[data-shortcut='a']");
    if (button) button.click();
  }

  function setupHelp() {
    var dialog = document.getElementById("shortcuts");
    var opener = document.querySelector("[data-shortcuts-open]");
    if (!dialog || typeof dialog.showModal !== "function") return function () {};
    function toggle() {
      if (dialog.open) dialog.close();
      else dialog.showModal();
    }
    if (opener) {
      opener.hidden = false;
      opener.addEventListener("click", toggle);
    }
    var closer = dialog.querySelector("[data-shortcuts-close]");
    if (closer) closer.addEventListener("click", function () { dialog.close(); });
    return toggle;
  }

  // On a phone the ticket's facts fold into their summary line, above the thread,
  // unless a refused form inside them has something to say.
  function foldFacts() {
    var narrow = window.matchMedia("(max-width: 959px)").matches;
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
      if (narrow && !details.querySelector("[role=alert]")) details.open = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldFacts();
    var help = setupHelp();
    if (location.hash === "#official-reply-form") focusEditor();
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target)) return;
      var dialog = document.getElementById("shortcuts");
      if (dialog && dialog.open && event.key !== "?") return;
      switch (event.key) {
        case "j": step(1); break;
        case "k": step(-1); break;
        case "r": reply(); break;
        case "a": assignToMe(); break;
        case "?": help(); break;
        default: return;
      }
      event.preventDefault();
    });
  });
})();
