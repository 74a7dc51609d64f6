/** Per-epoch history the training curve is drawn from. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  valLoss: number;
  valAcc: number;
}

/** A self-contained SVG: loss (left) and accuracy (right) per epoch, train and validation. */
export function trainingCurveSvg(history: readonly EpochRecord[], title: string): string {
  const W = 900;
  const H = 360;
  const panels = [
    { name: 'Loss', keys: ['trainLoss', 'valLoss'] as const, x: 60 },
    { name: 'Accuracy', keys: ['trainAcc', 'valAcc'] as const, x: 510 },
  ];
  const colors = { train: '#1f77b4', val: '#ff7f0e' };
  const pw = 360;
  const ph = 240;
  const top = 60;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16">${escapeXml(title)}</text>`,
  ];
  const n = history.length;
  for (const p of panels) {
    const values = history.flatMap((h) => p.keys.map((k) => h[k]));
    let lo = Math.min(...values);
    let hi = Math.max(...values);
    if (!(hi > lo)) {
      lo -= 0.5;
      hi += 0.5;
    }
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
    const sx = (i: number) => p.x + (n <= 1 ? pw / 2 : (i * pw) / (n - 1));
    const sy = (v: number) => top + ph - ((v - lo) / (hi - lo)) * ph;
    parts.push(`<rect x="${p.x}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
    parts.push(`<text x="${p.x + pw / 2}" y="${top - 10}" text-anchor="middle">${p.name}</text>`);
    for (let t = 0; t <= 4; t++) {
      const v = lo + ((hi - lo) * t) / 4;
      parts.push(`<text x="${p.x - 6}" y="${sy(v) + 4}" text-anchor="end" fill="#555">${v.toFixed(3)}</text>`);
      parts.push(`<line x1="${p.x}" x2="${p.x + pw}" y1="${sy(v)}" y2="${sy(v)}" stroke="#eee"/>`);
    }
    history.forEach((h, i) => {
      if (n <= 12 || i % Math.ceil(n / 12) === 0 || i === n - 1) {
        parts.push(`<text x="${sx(i)}" y="${top + ph + 16}" text-anchor="middle" fill="#555">${h.epoch}</text>`);
      }
    });
    parts.push(`<text x="${p.x + pw / 2}" y="${top + ph + 34}" text-anchor="middle">epoch</text>`);
    p.keys.forEach((k, j) => {
      const color = j === 0 ? colors.train : colors.val;
      const pts = history.map((h, i) => `${sx(i).toFixed(1)},${sy(h[k]).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"/>`);
      for (let i = 0; i < n; i++) parts.push(`<circle cx="${sx(i).toFixed(1)}" cy="${sy(history[i]![k]).toFixed(1)}" r="2.5" fill="${color}"/>`);
    });
  }
  parts.push(`<rect x="${W / 2 - 90}" y="${H - 28}" width="12" height="12" fill="${colors.train}"/><text x="${W / 2 - 72}" y="${H - 18}">train</text>`);
  parts.push(`<rect x="${W / 2 + 10}" y="${H - 28}" width="12" height="12" fill="${colors.val}"/><text x="${W / 2 + 28}" y="${H - 18}">validation</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
