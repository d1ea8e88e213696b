/** A feed item or KPI set as the API serves it; its modules own the exact shapes. */
// biome-ignore lint/suspicious/noExplicitAny: read by field name in templates
export type Loose = Record<string, any>
