// Optional map pin on the asset form: clicking the map fills in the latitude and longitude
// fields, which stay the accessible way to set the location (as does the postcode).
const L = window.L;

function pinMap(element) {
  const latField = document.getElementById(element.dataset.latField);
  const lngField = document.getElementById(element.dataset.lngField);
  if (!latField || !lngField) return;
  const [lat, lng] = element.dataset.center.split(",").map(Number);
  element.classList.add("map--ready");
  const map = L.map(element, { scrollWheelZoom: false, preferCanvas: true }).setView([lat, lng], Number(element.dataset.zoom));
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl, { attribution: element.dataset.tilesAttribution, maxZoom: 19 }).addTo(map);
  }
  let marker = null;
  const place = (latlng) => {
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.circleMarker(latlng, { radius: 8, color: "#ffffff", weight: 2, fillColor: "#1d70b8", fillOpacity: 0.95 }).addTo(map);
    }
  };
  const current = [Number(latField.value), Number(lngField.value)];
  if (latField.value && lngField.value && current.every(Number.isFinite)) {
    place(current);
    map.setView(current, 16);
  }
  map.on("click", (event) => {
    latField.value = event.latlng.lat.toFixed(6);
    lngField.value = event.latlng.lng.toFixed(6);
    place(event.latlng);
  });
  element.querySelectorAll("canvas").forEach((canvas) => canvas.setAttribute("aria-hidden", "true"));
}

if (L) document.querySelectorAll("[data-pin-map]").forEach(pinMap);
