// Small behaviours without inline script (the CSP forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // Ask before destructive actions: <form data-confirm="...">.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Tables that scroll inside their card can be scrolled from the keyboard.
  document.querySelectorAll(".table-responsive, .chart-wide").forEach((region) => {
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
  });
  // Filters submit on change: <form data-autosubmit>.
  document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
});

// Searchable pickers: <select data-picker> becomes a Tom Select (a plain select without script).
// Options may carry data-data='{"search": "..."}' with codes and common names to search too.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof TomSelect === "undefined") return;
  document.querySelectorAll("select[data-picker]").forEach((select) => {
    // Tom Select moves the label to its own input; the hidden select keeps an accessible name.
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    if (label && !select.getAttribute("aria-label")) select.setAttribute("aria-label", label.textContent.trim());
    new TomSelect(select, {
      searchField: ["text", "search"],
      maxOptions: null,
      // Their words come from the page, in the reader's language (<body data-picker-*>).
      plugins: select.multiple ? { remove_button: { title: document.body.dataset.pickerRemove || "Remove" } } : [],
      hidePlaceholder: true,
      render: { no_results: () => {
        const note = document.createElement("div");
        note.className = "no-results";
        note.textContent = document.body.dataset.pickerNoMatch || "No match";
        return note;
      } },
    });
  });
});

// Trip packs: build with fetch so the page can show progress and errors, then download the PDF.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-pack-form]");
  if (!form) return;
  const show = (id, on) => document.getElementById(id).classList.toggle("d-none", !on);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("[type=submit]");
    button.disabled = true;
    show("pack-error", false); show("pack-done", false); show("pack-working", true);
    form.querySelectorAll(".pack-field-error").forEach((note) => note.remove());
    form.querySelectorAll(".is-invalid").forEach((input) => input.classList.remove("is-invalid"));
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" },
      });
      const type = response.headers.get("Content-Type") || "";
      if (response.ok && type.startsWith("application/pdf")) {
        const blob = await response.blob();
        const name = (response.headers.get("Content-Disposition") || "").match(/filename="?([^";]+)"?/);
        const link = document.getElementById("pack-link");
        link.href = URL.createObjectURL(blob);
        link.download = name ? name[1] : "pack.pdf";
        link.click();
        show("pack-done", true);
      } else {
        let message = (form.dataset.msgFailed || "The pack could not be built (error %s).").replace("%s", response.status);
        if (type.startsWith("application/json")) {
          const body = await response.json();
          message = body.error;
          // Each message next to its field, as the page without script shows them.
          for (const [name, errors] of Object.entries(body.fields || {})) {
            const input = form.querySelector(`[name="${name}"]`);
            if (!input) { message += " " + errors.join(" "); continue; }
            input.classList.add("is-invalid");
            const note = document.createElement("div");
            note.className = "invalid-feedback d-block pack-field-error";
            note.textContent = errors.join(" ");
            (input.closest(".mb-3") || input.parentElement).appendChild(note);
          }
        } else if (response.status === 403) {
          message = form.dataset.msgForbidden || "You may not download briefs for one or more of these states.";
        }
        document.getElementById("pack-error").textContent = message;
        show("pack-error", true);
      }
    } catch (error) {
      document.getElementById("pack-error").textContent = (form.dataset.msgUnreachable || "The desk could not be reached:") + " " + error.message;
      show("pack-error", true);
    } finally {
      show("pack-working", false);
      button.disabled = false;
    }
  });
});
