// How a gate's observed value or a KPI reads in text: an integer as it is, anything else to four
// decimals (rates and ratios), the same in the summary, sweeps and their JSON.
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(4);
}
