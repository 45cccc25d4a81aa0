// "Use my location" on the asset map page: an enhancement of the search form. The button is
// shown only where the browser can locate people; it fills the form's hidden lat/lng fields
// (rounded to about 100 m, so a precise position never reaches the server or its logs) and
// submits the form, and the server sorts the results by distance. Without JavaScript, or if
// the person says no, the postcode search does the same.
const ROUNDING = 1000; // 3 decimal places of a degree: about 110 m of latitude

function enhance(container) {
  const button = container.querySelector("button");
  const status = container.querySelector("[data-near-me-status]");
  const form = container.closest("form");
  const latField = document.getElementById(button.dataset.latField);
  const lngField = document.getElementById(button.dataset.lngField);
  const postcodeField = document.getElementById(button.dataset.postcodeField);
  if (!form || !latField || !lngField) return;
  container.hidden = false;

  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = button.dataset.finding;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        latField.value = String(Math.round(position.coords.latitude * ROUNDING) / ROUNDING);
        lngField.value = String(Math.round(position.coords.longitude * ROUNDING) / ROUNDING);
        // A postcode wins over a location on the server, so clear it.
        if (postcodeField) postcodeField.value = "";
        form.requestSubmit();
      },
      (error) => {
        button.disabled = false;
        status.textContent = error.code === error.PERMISSION_DENIED
          ? button.dataset.denied : button.dataset.failed;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
    );
  });
}

if ("geolocation" in navigator) {
  document.querySelectorAll("[data-near-me]").forEach(enhance);
}
