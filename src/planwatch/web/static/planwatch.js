// Small progressive enhancement; every page works without it.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", () => {
      document.querySelectorAll('input[name="report"]').forEach((box) => { box.checked = all.checked; });
    });
  }
  // Filters apply as soon as a choice changes.
  document.querySelectorAll("form.filters select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Plan reader: text selected in the plan fills the quote of the 补充 form.
  const quote = document.getElementById("quote");
  const text = document.getElementById("plan-text");
  if (quote && text) {
    text.addEventListener("mouseup", () => {
      const picked = String(window.getSelection() || "").trim();
      if (picked) { quote.value = picked; }
    });
  }
});
