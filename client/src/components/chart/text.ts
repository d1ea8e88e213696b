/**
 * The SVG charts place text without measuring it (measuring means drawing first, or waiting for
 * the font): a label's width is its character count times the average advance of Be Vietnam Pro,
 * taken a little wide so an estimated column never lets a label run into the bars.
 */
const averageAdvanceEm = 0.6

/** The estimated width in px of `text` at `size` px. */
export function textWidth(text: string, size: number): number {
  return [...text.normalize('NFC')].length * averageAdvanceEm * size
}

/** `text` cut with an ellipsis to about `maxEm` em (characters counted as in `textWidth`). */
export function truncate(text: string, maxEm: number): string {
  const chars = [...text.normalize('NFC')]
  const fits = Math.floor(maxEm / averageAdvanceEm)
  if (chars.length <= fits) return text
  return `${chars
    .slice(0, fits - 1)
    .join('')
    .trimEnd()}…`
}
