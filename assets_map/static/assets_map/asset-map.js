// Community asset maps, drawn with Leaflet (served by django-leaflet). An enhancement only:
// each map sits beside a list with the same results. Thousands of markers stay smooth because
// they are circle markers on one canvas rather than DOM elements.
const L = window.L;
const ASSET_COLOUR = "#1d70b8";
const HUB_COLOUR = "#6f2c91";

function baseMap(element, options = {}) {
  const [lat, lng] = element.dataset.center.split(",").map(Number);
  element.classList.add("map--ready");
  const map = L.map(element, { scrollWheelZoom: false, preferCanvas: true, ...options })
    .setView([lat, lng], Number(element.dataset.zoom));
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl, {
      attribution: element.dataset.tilesAttribution, maxZoom: 19,
    }).addTo(map);
  }
  return map;
}

function markerStyle(hub) {
  return hub
    ? { radius: 9, color: "#ffffff", weight: 3, fillColor: HUB_COLOUR, fillOpacity: 0.95 }
    : { radius: 6, color: "#ffffff", weight: 1, fillColor: ASSET_COLOUR, fillOpacity: 0.9 };
}

// The GeoJSON is open data, with categories' default-language names; the page's category
// filter (data-category-field) has each category's name in the reader's language.
function categoryNames(element) {
  const field = document.getElementById(element.dataset.categoryField || "");
  if (!field || !field.options) return new Map();
  return new Map([...field.options].filter((option) => option.value)
    .map((option) => [option.value, option.textContent.trim()]));
}

function popupContent(properties, hubLabel, names = new Map()) {
  const wrapper = document.createElement("div");
  const title = document.createElement(properties.url ? "a" : "strong");
  title.textContent = properties.name;
  if (properties.url) title.href = properties.url;
  const meta = document.createElement("p");
  const category = names.get(properties.category_slug) || properties.category;
  meta.textContent = [properties.hub ? hubLabel : "", category].filter(Boolean).join(" · ");
  wrapper.append(title, meta);
  return wrapper;
}

async function drawAssets(element) {
  const response = await fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) return;
  const data = await response.json();
  const map = baseMap(element);
  const renderer = L.canvas({ padding: 0.5 });
  const bounds = [];
  const names = categoryNames(element);
  // Hubs last, so they are drawn on top.
  const features = data.features.slice().sort((a, b) => Number(a.properties.hub) - Number(b.properties.hub));
  for (const feature of features) {
    const [lng, lat] = feature.geometry.coordinates;
    bounds.push([lat, lng]);
    L.circleMarker([lat, lng], { renderer, ...markerStyle(feature.properties.hub) })
      .bindPopup(() => popupContent(feature.properties, element.dataset.hubLabel, names))
      .addTo(map);
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
  element.dataset.markerCount = String(features.length);
  // The canvas has no names; assistive technology uses the list beside the map.
  element.querySelectorAll("canvas").forEach((canvas) => canvas.setAttribute("aria-hidden", "true"));
}

function drawPoint(element) {
  const source = document.getElementById(element.dataset.point);
  if (!source) return;
  const point = JSON.parse(source.textContent);
  const map = baseMap(element);
  L.circleMarker([point.lat, point.lng], markerStyle(point.hub)).addTo(map);
  element.dataset.markerCount = "1";
  element.querySelectorAll("canvas").forEach((canvas) => canvas.setAttribute("aria-hidden", "true"));
}

if (L) {
  document.querySelectorAll("[data-geojson-url]").forEach((element) => { drawAssets(element); });
  document.querySelectorAll("[data-point]").forEach(drawPoint);
}
