/* Newsroom's only script, and an optional one: the pages work without it.
 *
 * 1. Type-ahead pickers: an input with data-suggest asks the JSON endpoint for matching people,
 *    organizations, places, topics or events as you type; choosing one (click, or arrows and
 *    Enter) puts its slug in the input and applies the filters.
 * 2. Live filtering: in a form marked data-live, changing a select, radio or checkbox
 *    applies the filters at once.
 */
(function () {
  "use strict";

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, wait);
    };
  }

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function setupPicker(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) { return; }
    var results = [];
    var active = -1;
    var controller = null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var chosen = results[index];
      if (!chosen) { return; }
      input.value = chosen.slug;
      close();
      if (input.form) { submit(input.form); }
    }

    function render() {
      list.innerHTML = "";
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = input.id + "_option_" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.name;
        if (result.detail) {
          var detail = document.createElement("span");
          detail.className = "detail";
          detail.textContent = result.detail;
          item.appendChild(detail);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.setAttribute("role", "option");
        none.setAttribute("aria-disabled", "true");
        none.textContent = "No match";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    var lookup = debounce(function () {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      fetch(input.dataset.suggest + "&q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" }, signal: controller.signal
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { results = data.results || []; render(); })
        .catch(function () { /* aborted or offline: the plain form still works */ });
    }, 150);

    input.addEventListener("input", lookup);
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  function setupLive(form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.matches("select, input[type=radio], input[type=checkbox]")) {
        submit(form);
      }
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(setupPicker);
  document.querySelectorAll("form[data-live]").forEach(setupLive);
}());
