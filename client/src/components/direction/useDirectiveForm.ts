import type { Alert, AlertKind, TaskId, TaskSubject } from '@citydeck/shared'
import { fromLocalInput, localInputValue } from '@citydeck/shared/time'
import { shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { callApi, itemPath } from '../../app/api'
import { failureText } from './failureText'

export type DirectiveField = 'unit' | 'instruction' | 'dueAt'
export type DirectiveTarget = { subject?: TaskSubject; alert?: { kind: AlertKind; id: string } }

/**
 * The directive dialog's fields and their checks (docs/design.md §9): what is missing or wrong is named
 * next to its field before anything is sent, and so is a field the server refuses. Sent as
 * `POST /api/v1/directives`, or from an alert as its acknowledgement carrying the directive.
 */
export function useDirectiveForm(options: { timeZone: () => string; hours: () => number }) {
  const { t } = useI18n()
  const unit = shallowRef('')
  const instruction = shallowRef('')
  const deadline = shallowRef('')
  const priority = shallowRef<'normal' | 'urgent'>('normal')
  const errors = shallowRef<Partial<Record<DirectiveField, string>>>({})
  const failure = shallowRef<string | null>(null)
  const busy = shallowRef(false)
  // A field's message goes as soon as the field is changed: it named what to fix.
  const clear = (field: DirectiveField) => () => {
    if (errors.value[field]) errors.value = { ...errors.value, [field]: undefined }
  }
  watch(unit, clear('unit'))
  watch(instruction, clear('instruction'))
  watch(deadline, clear('dueAt'))

  function reset(defaultUnit: string) {
    unit.value = defaultUnit
    instruction.value = ''
    deadline.value = localInputValue(new Date(Date.now() + options.hours() * 3_600_000), options.timeZone())
    priority.value = 'normal'
    errors.value = {}
    failure.value = null
  }

  const label = (field: DirectiveField) => t(`direction.fields.${field}`)
  function validate(): Date | null {
    const found: typeof errors.value = {}
    if (!unit.value) found.unit = t('direction.errors.required', { field: label('unit') })
    if (!instruction.value.trim())
      found.instruction = t('direction.errors.required', { field: label('instruction') })
    const due = fromLocalInput(deadline.value, options.timeZone())
    if (!due) found.dueAt = t('direction.errors.invalidTime', { field: label('dueAt') })
    else if (due.getTime() <= Date.now()) found.dueAt = t('direction.errors.past', { field: label('dueAt') })
    errors.value = found
    return Object.keys(found).length ? null : due
  }

  /** Sends the directive; the task it created, or null with the reason shown. */
  async function send(target: DirectiveTarget): Promise<TaskId | null> {
    failure.value = null
    const due = validate()
    if (!due) return null
    const directive = {
      unit: unit.value,
      instruction: instruction.value.trim(),
      dueAt: due.toISOString(),
      priority: priority.value,
    }
    busy.value = true
    const res = target.alert
      ? await callApi<Alert>(
          'POST',
          `${itemPath(`/api/v1/alerts/${target.alert.kind}`, target.alert.id)}/ack`,
          {
            directive,
          },
        )
      : await callApi<TaskId>('POST', '/api/v1/directives', {
          ...(target.subject ? { subject: target.subject } : {}),
          ...directive,
        })
    busy.value = false
    if (!res.ok) {
      const field = res.error.field?.replace(/^directive\./, '')
      if (field === 'unit' || field === 'instruction' || field === 'dueAt') {
        const message = res.error.message.replace(/^(directive\.)?[\w.]+: /, '')
        errors.value = { [field]: t('direction.errors.field', { field: label(field), message }) }
      } else failure.value = failureText(t, res.error)
      return null
    }
    const data = res.data
    if (!('kind' in data)) return data
    if (!data.directed) return null
    const at = data.directed.task.indexOf(':')
    return { source: data.directed.task.slice(0, at), ref: data.directed.task.slice(at + 1) }
  }

  return { unit, instruction, deadline, priority, errors, failure, busy, reset, send }
}
