// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // Live Markdown preview: the same server-side renderer as the stored post.
  function setupPreview(form) {
    var url = form.getAttribute("data-preview-url");
    var body = form.querySelector("textarea[name=body]");
    var target = form.querySelector("[data-preview-target]");
    if (!url || !body || !target) return;
    var timer = null;
    function render() {
      var data = new FormData();
      data.append("body", body.value);
      fetch(url, { method: "POST", body: data, credentials: "same-origin",
                   headers: { "X-CSRFToken": csrfToken(form) } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (json) {
          if (!json) return;
          target.innerHTML = "";
          if (!body.value.trim()) return;
          var box = document.createElement("div");
          box.className = "post-body";
          box.innerHTML = json.html;  // sanitized by the server's bleach Cleaner
          target.appendChild(box);
        });
    }
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
  }

  function post(form, extra) {
    var data = new FormData(form);
    if (extra) data.append(extra.name, extra.value);
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                                headers: { "Accept": "application/json",
                                           "X-CSRFToken": csrfToken(form) } });
  }

  // "Helpful" without leaving the page (and without the view jumping); anything
  // unexpected falls back to the plain form, which shows the reason.
  function setupHelpful(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      post(form)
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (json) {
          button.querySelector("[data-label]").textContent = json.label;
          button.classList.toggle("voted", json.voted);
          button.setAttribute("aria-pressed", json.voted ? "true" : "false");
          var count = form.closest(".post-actions").querySelector("[data-helpful-count]");
          if (count) count.textContent = json.count_text;
          announce(json.message);
        })
        .catch(function () { form.submit(); })
        .finally(function () { button.disabled = false; });
    });
  }

  // One polite live region for what scripts did without a page load.
  function announce(text) {
    var region = document.getElementById("live-status");
    if (!region) {
      region = document.createElement("p");
      region.id = "live-status";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  // The bell's count, read again when the member comes back to the tab.
  function setupBell(bell) {
    var url = bell.getAttribute("data-unread-url");
    function show(count) {
      var badge = bell.querySelector("[data-unread]");
      if (!count) {
        if (badge) badge.remove();
        return;
      }
      if (!badge) {  // as the page renders it: the number, then "unread" for screen readers
        badge = document.createElement("span");
        badge.className = "badge badge-unread";
        badge.setAttribute("data-unread", "");
        badge.appendChild(document.createTextNode(""));
        var label = document.createElement("span");
        label.className = "visually-hidden";
        label.textContent = " " + bell.getAttribute("data-unread-label");
        badge.appendChild(label);
        bell.appendChild(badge);
      }
      badge.firstChild.nodeValue = count < 100 ? String(count) : "99+";
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "visible") return;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (json) { if (json) show(json.unread); });
    });
  }

  // The menu closes on Escape and on a tap outside it, as menus do.
  function setupMenu(menu) {
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  // The theme switch applies at once; the server keeps the choice (a cookie).
  function setupThemeSwitch(form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button) return;
      event.preventDefault();
      var choice = { name: button.name, value: button.value };
      function plainSubmit() {  // the button's value goes with the form as a field
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = choice.name;
        field.value = choice.value;
        form.appendChild(field);
        form.submit();
      }
      post(form, choice).then(function (r) {
        if (!r.ok) return plainSubmit();
        document.documentElement.setAttribute("data-theme", button.value);
        document.querySelectorAll("form[data-theme-switch] button").forEach(function (b) {
          b.setAttribute("aria-pressed", b.value === button.value ? "true" : "false");
        });
      }).catch(plainSubmit);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-preview-url]").forEach(setupPreview);
    document.querySelectorAll("form[data-helpful]").forEach(setupHelpful);
    document.querySelectorAll("[data-unread-url]").forEach(setupBell);
    document.querySelectorAll("details.menu").forEach(setupMenu);
    document.querySelectorAll("form[data-theme-switch]").forEach(setupThemeSwitch);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
