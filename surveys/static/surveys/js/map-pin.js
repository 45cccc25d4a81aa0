// "Show us where": clicking or tapping the map marks a point and fills in the hidden latitude
// and longitude fields. The list of places and the postcode field next to the map do the same
// job without JavaScript, a pointer or sight of the map; choosing from them removes the mark,
// and marking the map clears them, so only one answer is ever sent.
const L = window.L;

function readJson(id) {
  const element = id && document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

function pinMap(element) {
  const figure = element.closest("[data-survey-pin-figure]");
  const latField = document.getElementById(element.dataset.latField);
  const lngField = document.getElementById(element.dataset.lngField);
  const choice = document.getElementById(element.dataset.choiceField);
  const postcode = element.dataset.postcodeField
    ? document.getElementById(element.dataset.postcodeField) : null;
  if (!figure || !latField || !lngField || !choice) return;
  const status = figure.querySelector("[data-pin-status]");
  const clearButton = figure.querySelector("[data-pin-clear]");

  figure.hidden = false;
  element.classList.add("map--ready");
  const [lat, lng] = element.dataset.center.split(",").map(Number);
  const map = L.map(element, { scrollWheelZoom: false }).setView([lat, lng], Number(element.dataset.zoom));
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl, { attribution: element.dataset.tilesAttribution, maxZoom: 19 }).addTo(map);
  }
  const boundaries = readJson(element.dataset.boundaries);
  if (boundaries) {
    const layer = L.geoJSON(boundaries, {
      interactive: false,
      style: () => ({ color: "#1d4f7c", weight: 2, fillColor: "#1d70b8", fillOpacity: 0.08 }),
    }).addTo(map);
    if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  }

  let marker = null;
  const say = (text) => { status.textContent = text; };
  const removeMark = () => {
    latField.value = "";
    lngField.value = "";
    if (marker) marker.remove();
    marker = null;
    clearButton.hidden = true;
  };
  const mark = (latlng) => {
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.circleMarker(latlng, { radius: 9, color: "#ffffff", weight: 3, fillColor: "#d4351c", fillOpacity: 1 }).addTo(map);
    }
    clearButton.hidden = false;
  };

  (readJson(element.dataset.places) || []).forEach((place) => {
    const dot = L.circleMarker([place.lat, place.lng], { radius: 7, color: "#0b0c0c", weight: 2, fillColor: "#ffdd00", fillOpacity: 1 }).addTo(map);
    dot.bindTooltip(place.name);
    dot.on("click", (event) => {
      L.DomEvent.stopPropagation(event);
      removeMark();
      choice.value = place.value;
      if (postcode) postcode.value = "";
      say(`${element.dataset.placeText} ${place.name}`);
    });
  });

  const saved = [Number(latField.value), Number(lngField.value)];
  if (latField.value && lngField.value && saved.every(Number.isFinite)) {
    mark(saved);
    say(element.dataset.markedText);
  }
  map.on("click", (event) => {
    latField.value = event.latlng.lat.toFixed(6);
    lngField.value = event.latlng.lng.toFixed(6);
    mark(event.latlng);
    choice.value = "";
    if (postcode) postcode.value = "";
    say(element.dataset.markedText);
  });
  choice.addEventListener("change", () => {
    if (choice.value) { removeMark(); say(""); }
  });
  if (postcode) {
    postcode.addEventListener("input", () => {
      if (postcode.value.trim()) { removeMark(); say(""); }
    });
  }
  clearButton.addEventListener("click", () => {
    removeMark();
    say(element.dataset.clearedText);
  });
  // Shapes are drawn without names; assistive technology uses the list instead.
  element.querySelectorAll(".leaflet-interactive").forEach((path) => path.setAttribute("aria-hidden", "true"));
}

if (L) document.querySelectorAll("[data-survey-pin]").forEach(pinMap);
