/**
 * The HTML report's only script: status filters, expand/collapse all, and opening a row named in the URL hash.
 * Kept as a plain string (not a compiled function) so its CSP hash is the same however aioc is built.
 */
export const HTML_SCRIPT = `
(() => {
  const rows = Array.from(document.querySelectorAll("details.result"));
  const groups = Array.from(document.querySelectorAll("section.group"));
  const buttons = Array.from(document.querySelectorAll("button[data-filter]"));
  const show = (filter) => {
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.filter === filter));
    for (const r of rows) r.hidden = filter !== "ALL" && r.dataset.status !== filter;
    for (const g of groups) g.hidden = !g.querySelector("details.result:not([hidden])");
    document.body.dataset.filter = filter;
  };
  for (const b of buttons) b.addEventListener("click", () => show(b.dataset.filter || "ALL"));
  const toggle = document.getElementById("toggle-all");
  toggle.addEventListener("click", () => {
    const open = !rows.some((r) => r.open && !r.hidden);
    for (const r of rows) if (!r.hidden) r.open = open;
    toggle.textContent = open ? "Collapse all" : "Expand all";
  });
  const reveal = () => {
    const el = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
    if (!el || !el.classList.contains("result")) return;
    if (el.hidden) show("ALL");
    el.open = true;
    el.scrollIntoView();
  };
  addEventListener("hashchange", reveal);
  reveal();
})();
`;
