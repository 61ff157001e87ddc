// A Pothos plugin that gives every String and ID argument, and every such field of an input object at
// any depth, a length cap and the NFC form, before any resolver (or subscribe) sees it. It works on
// the coerced arguments, so variables and inline literals alike; a field that needs another cap
// declares it: `t.arg.string({ maxLength: 1_000_000 })`, `t.string({ maxLength: 2000 })`.
// Per-field validators (@pothos/plugin-validation, zod) cannot give a default to every string; this
// can, with the field path in the error. Its argument mapper goes first, so it sees global IDs as the
// text the client sent, before the relay plugin decodes them.
import SchemaBuilder, {
  BasePlugin,
  mapInputFields,
  resolveInputTypeConfig,
  type FieldRequiredness,
  type InputFieldsMapping,
  type InputType,
  type PothosInputFieldConfig,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import { invalidInput, type FieldError } from '../errors';
import { DEFAULT_MAX_INPUT_LENGTH, normaliseInputText, tooLongMessage } from '../kernel/input-text';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      inputHygiene: InputHygienePlugin<Types>;
    }
    interface InputFieldOptions<
      Types extends SchemaTypes = SchemaTypes,
      Type extends InputType<Types> | [InputType<Types>] = InputType<Types> | [InputType<Types>],
      Req extends FieldRequiredness<Type> = FieldRequiredness<Type>,
    > {
      /** Longest text accepted, in characters (NFC); default DEFAULT_MAX_INPUT_LENGTH. String and ID only. */
      maxLength?: number;
    }
  }
}

const TEXT_SCALARS = new Set(['String', 'ID']);

type Mapping = InputFieldsMapping<SchemaTypes, number>;

export class InputHygienePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  private readonly mappingCache = new Map();

  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const caps = mapInputFields(fieldConfig.args, this.buildCache, (input) => this.capOf(input), this.mappingCache);
    if (!caps) return fieldConfig;
    const clean = (args: Record<string, unknown>) => {
      const errors: FieldError[] = [];
      const cleaned = cleanObject(args, caps as unknown as Mapping, [], errors);
      if (errors.length) throw invalidInput(errors);
      return cleaned;
    };
    return { ...fieldConfig, argMappers: [clean, ...(fieldConfig.argMappers ?? [])] };
  }

  private capOf(input: PothosInputFieldConfig<Types>): number | null {
    const type = resolveInputTypeConfig(input.type, this.buildCache);
    if (type.kind !== 'Scalar' || !TEXT_SCALARS.has(type.name)) return null;
    return (input.pothosOptions as { maxLength?: number }).maxLength ?? DEFAULT_MAX_INPUT_LENGTH;
  }
}

// Field errors name the path as the modules' own validation does: inside the `input` argument
// relative to it (`reason`), else from the argument (`filter.search`), list items by index.
const fieldName = (path: (string | number)[]) => (path[0] === 'input' && path.length > 1 ? path.slice(1) : path).join('.');

function cleanObject(value: Record<string, unknown>, mapping: Mapping, path: (string | number)[], errors: FieldError[]) {
  const cleaned = { ...value };
  for (const [name, field] of mapping) {
    if (cleaned[name] == null) continue;
    const clean = (item: unknown, itemPath: (string | number)[]): unknown => {
      if (item == null) return item;
      if (field.kind === 'InputObject') {
        return field.fields.map ? cleanObject(item as Record<string, unknown>, field.fields.map as Mapping, itemPath, errors) : item;
      }
      if (typeof item !== 'string') return item;
      const text = normaliseInputText(item, field.value as number);
      if (text.ok) return text.text;
      errors.push({ field: fieldName(itemPath), message: tooLongMessage(fieldName(itemPath), field.value as number) });
      return item;
    };
    cleaned[name] = cleanList(cleaned[name], field.listDepth, [...path, name], clean);
  }
  return cleaned;
}

function cleanList(value: unknown, depth: number, path: (string | number)[], clean: (item: unknown, path: (string | number)[]) => unknown): unknown {
  if (depth === 0 || !Array.isArray(value)) return clean(value, path);
  return value.map((item, index) => cleanList(item, depth - 1, [...path, index], clean));
}

const pluginName = 'inputHygiene';
export default pluginName;
SchemaBuilder.registerPlugin(pluginName, InputHygienePlugin);
