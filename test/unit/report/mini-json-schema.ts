/**
 * A deliberately small JSON Schema (2020-12) validator covering exactly the keywords our generated
 * run-result.schema.json uses. It exists so the committed schema file is exercised as JSON Schema,
 * independently of the zod schema it was generated from. An unknown keyword is an error, so a future
 * generator change cannot be silently ignored here.
 */
type Schema = Record<string, unknown>

const KNOWN = new Set(['$schema', '$id', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties',
  'items', 'propertyNames', 'const', 'enum', 'anyOf', 'minimum', 'maximum', 'minLength'])

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v)
    case 'array': return Array.isArray(v)
    case 'string': return typeof v === 'string'
    case 'boolean': return typeof v === 'boolean'
    case 'number': return typeof v === 'number' && Number.isFinite(v)
    case 'integer': return typeof v === 'number' && Number.isInteger(v)
    case 'null': return v === null
    default: throw new Error(`unsupported type ${type}`)
  }
}

export function validate(schema: Schema, v: unknown, path = '$'): string[] {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`${path}: unsupported keyword ${k}`)
  const errors: string[] = []
  if (typeof schema.type === 'string' && !typeOk(schema.type, v)) return [`${path}: expected ${schema.type}`]
  if ('const' in schema && v !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`)
  if (Array.isArray(schema.enum) && !schema.enum.includes(v)) errors.push(`${path}: expected one of ${schema.enum.join(', ')}`)
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => validate(s as Schema, v, path).length === 0)) errors.push(`${path}: matches no anyOf branch`)
  if (typeof v === 'number') {
    if (typeof schema.minimum === 'number' && v < schema.minimum) errors.push(`${path}: below ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && v > schema.maximum) errors.push(`${path}: above ${schema.maximum}`)
  }
  if (typeof v === 'string' && typeof schema.minLength === 'number' && v.length < schema.minLength) errors.push(`${path}: too short`)
  if (Array.isArray(v) && schema.items) v.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, `${path}[${i}]`)))
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) errors.push(...validateObject(schema, v as Record<string, unknown>, path))
  return errors
}

function validateObject(schema: Schema, v: Record<string, unknown>, path: string): string[] {
  const errors: string[] = []
  const props = (schema.properties ?? {}) as Record<string, Schema>
  for (const req of (schema.required ?? []) as string[]) if (!(req in v)) errors.push(`${path}.${req}: required`)
  for (const [k, value] of Object.entries(v)) {
    if (schema.propertyNames) errors.push(...validate(schema.propertyNames as Schema, k, `${path}[key ${k}]`))
    if (k in props) errors.push(...validate(props[k]!, value, `${path}.${k}`))
    else if (schema.additionalProperties === false) errors.push(`${path}.${k}: not allowed`)
    else if (typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties as Schema, value, `${path}.${k}`))
  }
  return errors
}
