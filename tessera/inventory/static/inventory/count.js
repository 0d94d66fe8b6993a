// Counting screen: the "Add stock found" form shows the lot / serial number inputs for tracked products only.
(function () {
  "use strict";
  const product = document.querySelector("[data-count-product]");
  const lotFields = document.querySelector("[data-count-lot-fields]");
  if (!product || !lotFields) return;
  function toggle() {
    const option = product.options[product.selectedIndex];
    const tracked = Boolean(option && option.dataset.tracking && option.dataset.tracking !== "none");
    lotFields.hidden = !tracked;
    lotFields.querySelectorAll("input").forEach((input) => { input.disabled = !tracked; });
  }
  product.addEventListener("change", toggle);
  toggle();
})();
