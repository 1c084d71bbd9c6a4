import type { z } from 'zod';
import { InvalidEventData, UnknownEventType } from './errors';

/** Turns data written under schema version `from` into the shape of version `from + 1`. */
export type Upcaster = (data: unknown) => unknown;

export interface EventDefinition {
  type: string;
  schema: z.ZodType;
  /** The version of `schema`; data stored under older versions is upcast on read. */
  schemaVersion?: number;
  /** upcasters[v] lifts data of version v to v + 1. */
  upcasters?: Record<number, Upcaster>;
}

/**
 * The event types a store accepts. Appends validate against the current schema and record its
 * version; reads upcast older data step by step, so consumers only ever see the current shape.
 */
export class EventRegistry {
  private readonly definitions = new Map<string, Required<EventDefinition>>();

  constructor(definitions: EventDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: EventDefinition): this {
    this.definitions.set(definition.type, {
      schemaVersion: 1,
      upcasters: {},
      ...definition,
    });
    return this;
  }

  /** Every registered type, in registration order. */
  types(): string[] {
    return [...this.definitions.keys()];
  }

  has(type: string): boolean {
    return this.definitions.has(type);
  }

  /** Parses data against the current schema; `index` names the event in its batch. */
  validate(type: string, data: unknown, index = 0): { data: unknown; schemaVersion: number } {
    const definition = this.definition(type);
    const parsed = definition.schema.safeParse(data);
    if (!parsed.success) {
      throw new InvalidEventData(
        type,
        index,
        parsed.error.issues.map((issue) => ({
          path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
          message: issue.message,
        })),
      );
    }
    return { data: parsed.data, schemaVersion: definition.schemaVersion };
  }

  /** The current schema version of a registered type (UnknownEventType otherwise). */
  schemaVersionOf(type: string): number {
    return this.definition(type).schemaVersion;
  }

  upcast(type: string, schemaVersion: number, data: unknown): unknown {
    const definition = this.definitions.get(type);
    // A type no longer registered is still history: hand it over as stored.
    if (!definition) return data;
    let current = data;
    for (let version = schemaVersion; version < definition.schemaVersion; version++) {
      const upcaster = definition.upcasters[version];
      if (!upcaster) throw new Error(`No upcaster for ${type} from schema version ${version}`);
      current = upcaster(current);
    }
    return current;
  }

  private definition(type: string): Required<EventDefinition> {
    const definition = this.definitions.get(type);
    if (!definition) throw new UnknownEventType(type);
    return definition;
  }
}
