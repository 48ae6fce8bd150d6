// A figure with what it is compared with: a peer measured in the same run, a limit, an aim or a
// minimum, and the ratio value ÷ against.value. Written as `figures` beside a report's rows.
export interface Figure {
  name: string;
  value: number;
  unit: string;
  against: { kind: 'peer' | 'limit' | 'aim' | 'minimum'; name: string; value: number };
  ratio: number;
  better: 'higher' | 'lower';
}

export function figure(name: string, value: number, unit: string, against: Figure['against'], better: Figure['better']): Figure {
  const ratio = against.value === 0 ? (value === 0 ? 0 : Number.MAX_VALUE) : value / against.value;
  return { name, value, unit, against, ratio: Math.round(ratio * 1000) / 1000, better };
}
