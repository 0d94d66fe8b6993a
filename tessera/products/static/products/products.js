// Products screens: the purchase unit follows the unit's category; the barcode field can use the camera.
(function () {
  "use strict";

  // Units are grouped by category (optgroups): only the unit's category may be chosen as purchase unit.
  function restrictUnits() {
    var source = document.querySelector("select[data-unit-source]");
    var target = document.querySelector("select[data-unit-target]");
    if (!source || !target) { return; }
    function apply() {
      var chosen = source.options[source.selectedIndex];
      var group = chosen && chosen.parentElement && chosen.parentElement.tagName === "OPTGROUP"
        ? chosen.parentElement.label : null;
      Array.prototype.forEach.call(target.querySelectorAll("optgroup"), function (optgroup) {
        var allowed = group === null || optgroup.label === group;
        optgroup.disabled = !allowed;
        optgroup.hidden = !allowed;
      });
      var picked = target.options[target.selectedIndex];
      if (picked && picked.parentElement.disabled) { target.value = ""; }
    }
    source.addEventListener("change", apply);
    apply();
  }

  // Phones with a camera: read the barcode with the browser's BarcodeDetector where it exists.
  function cameraScan() {
    var form = document.querySelector("form[data-barcode-scan]");
    if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    var button = form.querySelector("[data-camera-scan]");
    var video = form.querySelector("video");
    var input = form.querySelector("input[name=barcode]");
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector();
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.classList.remove("d-none");
        video.play();
        var stop = function () { stream.getTracks().forEach(function (track) { track.stop(); }); };
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) { stop(); input.value = codes[0].rawValue; form.submit(); }
            else { window.setTimeout(look, 250); }
          }).catch(function () { window.setTimeout(look, 500); });
        };
        look();
      }).catch(function () { button.classList.add("d-none"); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { restrictUnits(); cameraScan(); });
})();
