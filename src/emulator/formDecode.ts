// application/x-www-form-urlencoded decoding with qs-style bracket nesting:
// `a[b][c]=1`, `a[]=1`, `a[0]=1`, `+` as space and %-escapes.
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const MAX_DEPTH = 12;
const MAX_INDEX = 1000;

function decodeComponent(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** Splits `a[b][]` into ['a', 'b', '']; a key without well-formed brackets stays whole. */
export function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  let i = open;
  // Brackets inside a segment (`metadata[a[b]]`) keep the outer pair: ['metadata', 'a[b]'].
  const malformed = () => (key.endsWith(']') ? [key.slice(0, open), key.slice(open + 1, -1)] : [key]);
  while (i < key.length && parts.length <= MAX_DEPTH) {
    if (key[i] !== '[') return malformed();
    const close = key.indexOf(']', i);
    if (close < 0) return malformed();
    if (key.lastIndexOf('[', close) !== i) return malformed();
    parts.push(key.slice(i + 1, close));
    i = close + 1;
  }
  if (i < key.length) parts[parts.length - 1] += key.slice(i); // remainder past the depth limit: kept literally
  return parts;
}

function setOwn(target: FormObject, key: string, value: FormValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const isIndex = (s: string) => /^(0|[1-9]\d{0,3})$/.test(s) && Number(s) <= MAX_INDEX;

function arrayToObject(arr: FormValue[]): FormObject {
  const o: FormObject = {};
  arr.forEach((v, i) => {
    if (v !== undefined) o[String(i)] = v;
  });
  return o;
}

type Container = FormObject | FormValue[];

function getChild(container: Container, seg: string): FormValue | undefined {
  if (Array.isArray(container)) return isIndex(seg) ? container[Number(seg)] : undefined;
  return Object.hasOwn(container, seg) ? container[seg] : undefined;
}

function setChild(container: Container, seg: string, value: FormValue): Container {
  if (Array.isArray(container)) {
    if (seg === '') {
      container.push(value);
      return container;
    }
    if (isIndex(seg)) {
      container[Number(seg)] = value;
      return container;
    }
    const o = arrayToObject(container);
    setOwn(o, seg, value);
    return o;
  }
  setOwn(container, seg === '' ? String(Object.keys(container).length) : seg, value);
  return container;
}

function assign(container: Container, segs: string[], idx: number, value: string): Container {
  const seg = segs[idx];
  if (idx === segs.length - 1) return setChild(container, seg, value);
  const nextSeg = segs[idx + 1];
  let child = seg === '' ? undefined : getChild(container, seg);
  if (child === undefined || typeof child === 'string') child = nextSeg === '' || isIndex(nextSeg) ? [] : {};
  const updated = assign(child, segs, idx + 1, value);
  return setChild(container, seg, updated);
}

/** Arrays that came from `a[0]` / `a[]` stay arrays; holes are squeezed out (like qs). */
function compact(v: FormValue): FormValue {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  for (const k of Object.keys(v)) setOwn(v, k, compact(v[k]));
  return v;
}

export function decodeForm(input: string): FormObject {
  let root: FormObject = {};
  if (!input) return root;
  for (const pair of input.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const key = decodeComponent(rawKey);
    if (!key) continue;
    const segs = splitKey(key);
    root = assign(root, segs, 0, decodeComponent(rawValue)) as FormObject;
  }
  return compact(root) as FormObject;
}

/** The inverse (qs-style indexed encoding), handy for clients and tests. */
export function encodeForm(data: Record<string, unknown>): string {
  const out: string[] = [];
  const enc = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object') {
      out.push(`${encodeURIComponent(key)}=${encodeURIComponent(value === null ? '' : String(value))}`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => enc(`${key}[${i}]`, v));
    } else {
      for (const [k, v] of Object.entries(value)) enc(`${key}[${k}]`, v);
    }
  };
  for (const [k, v] of Object.entries(data)) enc(k, v);
  return out.join('&');
}
