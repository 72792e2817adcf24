// Exact integer division on safe-integer numbers. `a / b` in JavaScript is a float division whose rounding can,
// for large operands, land on the wrong integer; these helpers divide only exact multiples, so every result is
// exact. Operands must be safe integers and b > 0. bigint code uses bigint division directly.

export function divTrunc(a: number, b: number): number {
  return (a - (a % b)) / b;
}

export function divFloor(a: number, b: number): number {
  const r = ((a % b) + b) % b;
  return (a - r) / b;
}

export function divCeil(a: number, b: number): number {
  return -divFloor(-a, b);
}
