/**
 * IP addresses and networks as libsinsp compares them (filter_compare.cpp): an address equals an
 * address of the same family; an address is "equal" to a network when it lies inside it.
 * Written here because the checks are a few lines and no dependency parses both families cheaply.
 */
export interface IpAddress {
  v: 4 | 6;
  /** IPv4 as an unsigned 32-bit number, IPv6 as a 128-bit bigint. */
  n: number | bigint;
}

export interface IpNetwork {
  v: 4 | 6;
  n: number | bigint;
  bits: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): number | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  let tailV4: number | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const words = (s: string) => (s === '' ? [] : s.split(':'));
  const left = words(halves[0] ?? '');
  const right = halves.length === 2 ? words(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let n = 0n;
  for (const w of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
    n = (n << 16n) | BigInt(parseInt(w, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | BigInt(tailV4);
  return n;
}

export function parseIpAddress(text: string): IpAddress | undefined {
  const t = text.trim();
  const v4 = parseV4(t);
  if (v4 !== undefined) return { v: 4, n: v4 };
  const v6 = parseV6(t);
  return v6 === undefined ? undefined : { v: 6, n: v6 };
}

/** `10.0.0.0/8`, `2001:db8::/32`; a bare address is a host network. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const addr = parseIpAddress(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return undefined;
  const max = addr.v === 4 ? 32 : 128;
  if (slash < 0) return { ...addr, bits: max };
  const bitsText = text.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  return bits > max ? undefined : { ...addr, bits };
}

export function ipEquals(a: IpAddress, b: IpAddress): boolean {
  return a.v === b.v && a.n === b.n;
}

export function ipInNetwork(a: IpAddress, net: IpNetwork): boolean {
  if (a.v !== net.v) return false;
  if (a.v === 4) {
    if (net.bits === 0) return true;
    const shift = 32 - net.bits;
    return Math.floor((a.n as number) / 2 ** shift) === Math.floor((net.n as number) / 2 ** shift);
  }
  const shift = BigInt(128 - net.bits);
  return (a.n as bigint) >> shift === (net.n as bigint) >> shift;
}
