import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

// Checks real answers against the served OpenAPI document: the status is one the operation
// documents, the content type one it lists for that status, and a JSON body validates (JSON
// Schema 2020-12, the dialect of OpenAPI 3.1) against the schema the document gives it.

export type OpenApiDoc = {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown> }
}
type Operation = {
  operationId: string
  responses: Record<string, { content?: Record<string, { schema: unknown; example?: unknown }> }>
}
export type Located = { path: string; method: string; operation: Operation }

const methods = ['get', 'post', 'put', 'patch', 'delete']
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')

export class DocumentCheck {
  readonly operations = new Map<string, Located>()
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true })

  constructor(readonly doc: OpenApiDoc) {
    addFormats.default(this.#ajv)
    this.#ajv.addSchema(doc, 'doc')
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of methods) {
        const operation = item[method]
        if (operation) this.operations.set(operation.operationId, { path, method, operation })
      }
    }
  }

  /** Whether a concrete request path is an instance of the operation's path template. */
  static matches(template: string, path: string): boolean {
    const pattern = template
      .split(/\{[^}]+\}/)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')
    return new RegExp(`^${pattern}$`).test(path)
  }

  /** The problems of one answer to `operationId`; none when the document describes it. */
  problems(operationId: string, answer: { status: number; contentType: string; body: unknown }): string[] {
    const located = this.operations.get(operationId)
    if (!located) return [`the document has no operation ${operationId}`]
    const response = located.operation.responses[String(answer.status)]
    if (!response) {
      const listed = Object.keys(located.operation.responses).join(', ')
      return [`${operationId} answered ${answer.status}, which the document does not list (${listed})`]
    }
    if (!response.content) return answer.body === null ? [] : [`${answer.status} documents no body`]
    const type = answer.contentType.split(';')[0]!.trim()
    const media = response.content[type]
    if (!media) return [`${answer.status} answered ${type}, documented: ${Object.keys(response.content)}`]
    if (type !== 'application/json') return []
    return this.#validate(
      pointer(
        '#',
        'paths',
        located.path,
        located.method,
        'responses',
        String(answer.status),
        'content',
        type,
        'schema',
      ),
      answer.body,
    )
  }

  /**
   * Compiles every JSON response schema now. The server under test shares this process: done
   * lazily mid-test, seconds of compiling would stall its event loop (and its database probe).
   */
  compileAll(): void {
    for (const { path, method, operation } of this.operations.values()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response.content?.['application/json']) continue
        const at = pointer(
          '#',
          'paths',
          path,
          method,
          'responses',
          status,
          'content',
          'application/json',
          'schema',
        )
        this.#ajv.getSchema(`doc${at}`)
      }
    }
  }

  /** Every example of every response, checked against its own schema. */
  exampleProblems(): string[] {
    const found: string[] = []
    for (const [operationId, { path, method, operation }] of this.operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.['application/json']
        if (!media || media.example === undefined) continue
        const at = pointer(
          '#',
          'paths',
          path,
          method,
          'responses',
          status,
          'content',
          'application/json',
          'schema',
        )
        for (const p of this.#validate(at, media.example))
          found.push(`${operationId} ${status} example: ${p}`)
      }
    }
    return found
  }

  #validate(schemaPointer: string, value: unknown): string[] {
    const validate = this.#ajv.getSchema(`doc${schemaPointer}`)
    if (!validate) return [`no schema at ${schemaPointer}`]
    if (validate(value)) return []
    return (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`)
  }
}
