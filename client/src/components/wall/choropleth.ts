const mix = (a: number[], b: number[], f: number) => a.map((v, i) => Math.round(v + (b[i]! - v) * f))
const hex = (rgb: number[]) => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`
const navy = [0x1d, 0x3a, 0x66]
// A violet ramp, so blue/orange/vermillion ticket points stay readable on any ward.
const mid = [0x4a, 0x45, 0x96]
const violet = [0x8e, 0x6b, 0xd6]
const vermillion = [0xd5, 0x5e, 0x00]
const blue = [0x56, 0xb4, 0xe9]

/**
 * Fill of a ward for a share 0–1: counts go navy → violet (more open tickets, brighter); rates go
 * vermillion (poor) → navy → blue (good), so a bad ward stands out on the dark wall.
 */
export function choroplethColour(share: number, isRate: boolean): string {
  const f = Math.min(1, Math.max(0, share))
  if (isRate) return f < 0.5 ? hex(mix(vermillion, navy, f * 2)) : hex(mix(navy, blue, (f - 0.5) * 2))
  return f < 0.5 ? hex(mix(navy, mid, f * 2)) : hex(mix(mid, violet, (f - 0.5) * 2))
}
