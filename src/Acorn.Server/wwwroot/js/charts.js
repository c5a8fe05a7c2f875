// Small line charts drawn as inline SVG: a time axis over a fixed window ending at the newest sample, a y axis from
// zero to a rounded maximum, one polyline per series (the first also shaded). No library, no build step.

const SVG = "http://www.w3.org/2000/svg";
const MARGIN = { top: 10, right: 10, bottom: 20, left: 44 };

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, String(value));
  }

  if (text !== undefined) {
    node.textContent = text;
  }

  return node;
}

/** The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value`. */
export function niceCeiling(value, floor) {
  const target = Math.max(value, floor);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= target) {
      return step * power;
    }
  }

  return 10 * power;
}

export function formatNumber(value) {
  if (!Number.isFinite(value)) {
    return "–";
  }

  if (value === 0) {
    return "0";
  }

  const abs = Math.abs(value);
  if (abs >= 10000) {
    return `${(value / 1000).toFixed(abs >= 100000 ? 0 : 1)}k`;
  }

  if (abs >= 100) {
    return value.toFixed(0);
  }

  if (abs >= 10) {
    return value.toFixed(1).replace(/\.0$/, "");
  }

  if (abs >= 0.01) {
    return value.toFixed(2).replace(/\.?0+$/, "");
  }

  return value.toPrecision(1);
}

/**
 * Draws `series` ([{ label, className, values: number[] }]) against `times` (Date[], oldest first) into `svg`.
 * `windowSeconds` is the width of the time axis; `floor` the least y maximum (so an idle chart is not all noise).
 */
export function drawChart(svg, times, series, { windowSeconds = 120, floor = 1, unit = "" } = {}) {
  const width = Math.max(200, Math.round(svg.clientWidth || 320));
  const height = Math.max(80, Math.round(svg.clientHeight || 140));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();

  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const end = times.length > 0 ? times[times.length - 1].getTime() : Date.now();
  const start = end - windowSeconds * 1000;
  let max = 0;
  for (const s of series) {
    for (const v of s.values) {
      if (Number.isFinite(v) && v > max) {
        max = v;
      }
    }
  }

  const top = niceCeiling(max, floor);
  const x = (time) => MARGIN.left + ((time - start) / (end - start)) * plotWidth;
  const y = (value) => MARGIN.top + plotHeight - (Math.min(value, top) / top) * plotHeight;

  const grid = el("g", { class: "grid" });
  for (const fraction of [0, 0.5, 1]) {
    const value = top * fraction;
    const gy = y(value);
    grid.append(el("line", { x1: MARGIN.left, x2: width - MARGIN.right, y1: gy, y2: gy }));
    grid.append(el("text", { x: MARGIN.left - 6, y: gy, "text-anchor": "end", "dominant-baseline": "middle" }, formatNumber(value) + unit));
  }

  const ticks = [[start, `−${windowSeconds / 60} min`], [start + (end - start) / 2, `−${windowSeconds / 120} min`], [end, "now"]];
  for (const [time, label] of ticks) {
    const anchor = time === start ? "start" : time === end ? "end" : "middle";
    grid.append(el("text", { x: x(time), y: height - 4, "text-anchor": anchor }, label));
  }

  svg.append(grid);

  series.forEach((s, index) => {
    const points = [];
    times.forEach((time, i) => {
      const value = s.values[i];
      if (Number.isFinite(value) && time.getTime() >= start) {
        points.push([x(time.getTime()), y(value)]);
      }
    });
    if (points.length === 0) {
      return;
    }

    const line = points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
    if (index === 0) {
      const base = y(0).toFixed(1);
      svg.append(el("polygon", {
        class: `area ${s.className}`,
        points: `${points[0][0].toFixed(1)},${base} ${line} ${points[points.length - 1][0].toFixed(1)},${base}`,
      }));
    }

    svg.append(el("polyline", { class: `line ${s.className}`, points: line }));
    const [lx, ly] = points[points.length - 1];
    svg.append(el("circle", { class: `dot ${s.className}`, cx: lx.toFixed(1), cy: ly.toFixed(1), r: 2.5 }));
  });

  if (times.length === 0) {
    svg.append(el("text", { class: "no-data", x: MARGIN.left + plotWidth / 2, y: MARGIN.top + plotHeight / 2, "text-anchor": "middle" }, "waiting for data…"));
  }

  if (!svg.chart) {
    svg.addEventListener("pointermove", (event) => {
      const box = svg.getBoundingClientRect();
      svg.chart.hoverX = ((event.clientX - box.left) * svg.chart.width) / box.width;
      drawHover(svg);
    });
    svg.addEventListener("pointerleave", () => {
      svg.chart.hoverX = null;
      drawHover(svg);
    });
  }

  svg.chart = { times, series, unit, x, width, height, hoverX: svg.chart?.hoverX ?? null };
  drawHover(svg);
}

const hoverTime = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

/** Under the pointer: a rule at the nearest second and that second's values. */
function drawHover(svg) {
  svg.querySelector(".hover")?.remove();
  const chart = svg.chart;
  if (chart.hoverX === null || chart.times.length === 0) {
    return;
  }

  let nearest = -1;
  let distance = Infinity;
  chart.times.forEach((time, i) => {
    const d = Math.abs(chart.x(time.getTime()) - chart.hoverX);
    if (d < distance) {
      distance = d;
      nearest = i;
    }
  });
  if (nearest < 0 || distance > 24) {
    return;
  }

  const px = chart.x(chart.times[nearest].getTime());
  const group = el("g", { class: "hover" });
  group.append(el("line", { x1: px.toFixed(1), x2: px.toFixed(1), y1: MARGIN.top, y2: chart.height - MARGIN.bottom }));
  const values = chart.series.map((s) => `${s.label} ${formatNumber(s.values[nearest])}${chart.unit}`).join(" · ");
  const left = px < MARGIN.left + (chart.width - MARGIN.left - MARGIN.right) / 2;
  group.append(el("text", { x: (left ? px + 6 : px - 6).toFixed(1), y: MARGIN.top + 10, "text-anchor": left ? "start" : "end" },
    `${hoverTime.format(chart.times[nearest])}  ${values}`));
  svg.append(group);
}
