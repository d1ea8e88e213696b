import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { procedureSchema } from '@citydeck/shared'
import { z } from 'zod'
import { type Config, ConfigError, repoRoot } from '../config'

const weights = z.record(z.string(), z.number().nonnegative())
const range = z.tuple([z.number(), z.number()])
const trend = z.object({ start: z.number(), perMonth: z.number(), max: z.number() })

/** `demo.json`: every number the simulator uses, so another city is a new file, not new code. */
const demoSchema = z.object({
  sources: z.object({
    tickets: z.string(),
    dossiers: z.string(),
    procedures: z.string(),
    surveys: z.string(),
    tasks: z.string(),
  }),
  /** Refs read like the source systems' own: `<prefix>-<yyMMddHH local>-<n>`. */
  refPrefixes: z.object({
    tickets: z.string(),
    dossiers: z.string(),
    surveys: z.string(),
    tasks: z.string(),
  }),
  historyDays: z.number().int().positive(),
  wards: z.record(
    z.string(),
    z.object({ weight: z.number().positive(), streets: z.array(z.string()).min(1) }),
  ),
  tickets: z.object({
    perDay: z.number().positive(),
    hourWeights: z.array(z.number().nonnegative()).length(24),
    weekdayWeights: z.array(z.number().nonnegative()).length(7),
    channels: weights,
    reporterShare: z.number().min(0).max(1),
    rejectShare: z.number().min(0).max(1),
    assignMinutes: range,
    startMinutes: range,
    resolveHoursMedian: z.number().positive(),
    resolveSpread: z.number().nonnegative(),
    closeHours: range,
    unitSpeedSpread: z.number().nonnegative(),
    /** Unit weights per category; the unit `ward` stands for the ward's People's Committee. */
    categories: z.record(z.string(), z.object({ weight: z.number().nonnegative(), units: weights })),
  }),
  dossiers: z.object({
    perWorkingDay: z.number().positive(),
    officeHours: z.array(range).min(1),
    workingDays: z.array(z.number().int().min(0).max(6)),
    onlineShare: trend,
    postalShare: z.number().min(0).max(1),
    digitizedInput: trend,
    digitizedResult: trend,
    paidOnline: z.object({ online: z.number(), direct: z.number() }),
    acceptHours: range,
    supplementShare: z.number(),
    onTimeShare: z.number(),
    lateDays: range,
    longOverdueShare: z.number(),
    longOverdueDays: range,
    withdrawnShare: z.number(),
    rejectedShare: z.number(),
    unitOnTimeSpread: z.number(),
  }),
  surveys: z.object({
    ticketShare: z.number(),
    dossierShare: z.number(),
    delayHours: range,
    satisfiedShare: z.number(),
    lateTicketPenalty: z.number(),
    unitSpread: z.number(),
    fiveShareOfSatisfied: z.number(),
    commentShare: z.number(),
  }),
  live: z.object({
    tickSeconds: z.number().positive(),
    ticketBoost: z.number().positive(),
    dossierBoost: z.number().positive(),
    /** City days before a run's own day that are as busy as the run (its previous period). */
    busyDaysBefore: z.number().int().nonnegative(),
    /** While the demo runs, the night shift's crews report from `hours[0]` to `hours[1]` local (nightShift.ts). */
    nightShift: z.object({
      hours: z.tuple([z.number().int().min(0).max(23), z.number().int().min(0).max(23)]),
      crews: z.number().int().min(2),
      /** Seconds between two reports of the whole shift, at least and at most. */
      reportEverySeconds: range.refine(([lo, hi]) => lo > 0 && lo <= hi, 'needs 0 < lo ≤ hi'),
    }),
  }),
  tasks: z.object({
    issuedBy: z.string(),
    /** Share of tickets resolved after their deadline that a leader directs, shortly after the alert. */
    directLateTicketShare: z.number().min(0).max(1),
    directAfterMinutes: range,
    standalonePerWorkingDay: z.number().nonnegative(),
    officeHours: range,
    dueDays: range,
    acceptMinutes: range,
    /** Share of standalone tasks finished after their deadline. */
    lateShare: z.number().min(0).max(1),
    units: weights,
  }),
  storm: z.object({
    hours: z.number().positive(),
    ticketFactor: z.number().positive(),
    categories: weights,
    resolveHoursMedian: z.number().positive(),
  }),
})

/** A title and a description; `{street}` and `{n}` are filled in per ticket. */
const text = z.tuple([z.string(), z.string()])
const textsSchema = z.object({
  tickets: z.record(z.string(), z.array(text).min(1)),
  storm: z.record(z.string(), z.array(text).min(1)),
  names: z.object({
    family: z.array(z.string()).min(1),
    middle: z.array(z.string()).min(1),
    given: z.array(z.string()).min(1),
    phonePrefixes: z.array(z.string()).min(1),
  }),
  surveyComments: z.object({
    satisfied: z.array(z.string()).min(1),
    unsatisfied: z.array(z.string()).min(1),
  }),
  tasks: z.array(text).min(1),
  taskReports: z.object({ accepted: z.string(), in_progress: z.string(), done: z.string() }),
  /** The night crews' task (`{ward}` filled in) and their field reports (`{street}`, `{n}`). */
  nightShift: z.object({ title: z.string(), description: z.string(), done: z.string() }),
  nightReports: z.array(z.string()).min(2),
})

/** A catalog entry as sent on the procedures feed, plus how the demo uses it. */
const catalogEntry = procedureSchema.omit({ source: true, ref: true, updatedAt: true }).extend({
  /** `ward`: filed at the ward People's Committee; `unit`: at the catalog unit. */
  handledBy: z.enum(['ward', 'unit']),
  /** Relative share of dossiers. */
  weight: z.number().nonnegative(),
  /** Working days promised (ngày hẹn trả). */
  days: z.number().positive(),
})

export type DemoParams = z.infer<typeof demoSchema>
export type DemoTexts = z.infer<typeof textsSchema>
export type CatalogEntry = z.infer<typeof catalogEntry>
export type DemoProfile = { params: DemoParams; texts: DemoTexts; procedures: CatalogEntry[] }

/** Reads `demo.json`, `demo-texts.json` and `procedures.json` from the city profile's folder. */
export function loadDemoProfile(config: Pick<Config, 'CITY_PROFILE'>): DemoProfile {
  const dir = existsSync(config.CITY_PROFILE)
    ? path.resolve(config.CITY_PROFILE)
    : path.join(repoRoot, 'server', 'profiles', config.CITY_PROFILE)
  const read = <T>(file: string, schema: z.ZodType<T>): T => {
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8'))
    } catch (error) {
      throw new ConfigError(`demo: cannot read ${file} in ${dir} (${(error as Error).message})`)
    }
    const parsed = schema.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new ConfigError(`demo: ${file} ${issue.path.join('.')}: ${issue.message}`)
    }
    return parsed.data
  }
  return {
    params: read('demo.json', demoSchema),
    texts: read('demo-texts.json', textsSchema),
    procedures: read('procedures.json', z.object({ procedures: z.array(catalogEntry).min(1) })).procedures,
  }
}
