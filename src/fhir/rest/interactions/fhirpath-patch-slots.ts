/**
 * Changes to one element of a resource's JSON for FHIRPath Patch
 * (http://hl7.org/fhir/R4/fhirpatch.html). A primitive element is two JSON
 * properties, its value under `name` and its id and extensions under `_name`
 * (http://hl7.org/fhir/R4/json.html#primitive), kept aligned item by item in
 * a list: every change here moves both, so that no extension ends up on
 * another value, and leaves no empty array behind (json.html: arrays are
 * never empty).
 */
import { decimalText, noteDecimal } from '../../../core/json/decimal-json.js';
import { isObject, type JsonObject } from '../../validation/json-values.js';
import type { PropertyInfo, TypeIndex } from '../../validation/element-index.js';

/** An element's JSON: its value and, for a primitive, the object of its id and extensions. */
export interface ElementJson {
  readonly value: unknown;
  readonly extras?: JsonObject;
  /** A number's text as the patch wrote it (1.50), which it keeps once written (json.html#primitive). */
  readonly decimal?: string;
}

/** Where an element a path selected lives, and its definition in the model. */
export interface Slot {
  /** The JSON object holding it: its owner, or a primitive's `_name` object for the primitive's id and extensions. */
  readonly holder: JsonObject;
  /** Its JSON name ("valueQuantity" for the Quantity form of value[x]). */
  readonly key: string;
  /** Its position when the element repeats. */
  readonly index: number | undefined;
  readonly property: PropertyInfo;
  readonly owner: TypeIndex;
  /** When `holder` is a primitive's `_name` object: that primitive, which loses the object once it is empty. */
  readonly primitive: Slot | undefined;
}

function extrasKey(key: string): string {
  return `_${key}`;
}

function arrayAt(holder: JsonObject, key: string): unknown[] | undefined {
  const value = holder[key];
  return Array.isArray(value) ? value : undefined;
}

export function valueAt(slot: Slot): unknown {
  const value = slot.holder[slot.key];
  if (slot.index === undefined) return value;
  return Array.isArray(value) ? value[slot.index] : undefined;
}

export function extrasAt(slot: Slot): JsonObject | undefined {
  const extras = slot.holder[extrasKey(slot.key)];
  const item = slot.index === undefined ? extras : Array.isArray(extras) ? extras[slot.index] : undefined;
  return isObject(item) ? item : undefined;
}

/** The `_name` object of a primitive element, created when asked to (to add an extension to it). */
export function extrasOf(slot: Slot, create: boolean): JsonObject | undefined {
  const existing = extrasAt(slot);
  if (existing !== undefined || !create) return existing;
  const created: JsonObject = {};
  if (slot.index === undefined) {
    slot.holder[extrasKey(slot.key)] = created;
  } else {
    const extras = padded(slot.holder, extrasKey(slot.key), listLength(slot.holder, slot.key));
    extras[slot.index] = created;
  }
  return created;
}

/** Items of the list `key` in `holder`: its values and its `_name` objects may differ in length. */
export function listLength(holder: JsonObject, key: string): number {
  return Math.max(arrayAt(holder, key)?.length ?? 0, arrayAt(holder, extrasKey(key))?.length ?? 0);
}

/** The array under `key`, created if absent and filled with nulls up to `length`. */
function padded(holder: JsonObject, key: string, length: number): unknown[] {
  const array = arrayAt(holder, key) ?? [];
  while (array.length < length) array.push(null);
  holder[key] = array;
  return array;
}

/**
 * Sets holder[key] and the written text of a number there: the patch's text
 * (1.50), or, when the number replaces one noted as written otherwise but
 * equal (1.50 by 1.5), its own plain form, so that no stale text comes back.
 * The holder alone is the path noteDecimal asks for: stringifyJson and
 * cloneJson walk the whole resource down to any noted holder.
 */
export function putValue(holder: JsonObject | unknown[], key: string | number, value: unknown, decimal: string | undefined): void {
  (holder as Record<string, unknown>)[key] = value;
  if (typeof value !== 'number') return;
  const noted = decimalText(holder, key);
  const text = decimal ?? (noted === undefined ? undefined : JSON.stringify(value));
  if (text !== undefined && text !== noted) noteDecimal([holder], key, text);
}

/**
 * Array.prototype.splice on a list of values, whose numbers keep their
 * written text at their new positions (a list's notes are by position:
 * MolecularSequence.quality.roc.precision is a list of decimals).
 */
function spliceValues(list: unknown[], at: number, count: number, ...added: ElementJson[]): unknown[] {
  const texts = list.map((_, i) => decimalText(list, i));
  const removed = list.splice(at, count, ...added.map((element) => element.value));
  texts.splice(at, count, ...added.map((element) => element.decimal));
  list.forEach((value, i) => putValue(list, i, value, texts[i]));
  return removed;
}

/** Drops arrays left empty or holding only nulls (a primitive list with no values, or no extensions). */
function tidy(holder: JsonObject, key: string): void {
  for (const name of [key, extrasKey(key)]) {
    const array = arrayAt(holder, name);
    if (array && array.every((item) => item === null || item === undefined)) delete holder[name];
  }
}

/** Sets a non-repeating element (add, or replace with a value of another type under another JSON name). */
export function setElement(holder: JsonObject, key: string, element: ElementJson): void {
  putValue(holder, key, element.value, element.decimal);
  if (element.extras) holder[extrasKey(key)] = element.extras;
  else delete holder[extrasKey(key)];
}

export function insertElement(holder: JsonObject, key: string, at: number, element: ElementJson): void {
  const length = listLength(holder, key);
  spliceValues(padded(holder, key, length), at, 0, element);
  if (element.extras || arrayAt(holder, extrasKey(key))) padded(holder, extrasKey(key), length).splice(at, 0, element.extras ?? null);
  tidy(holder, key);
}

/** Takes the item at `at` out of a list: its value and its `_name` object. */
function takeItem(holder: JsonObject, key: string, at: number): ElementJson {
  const length = listLength(holder, key);
  const values = padded(holder, key, length);
  const decimal = decimalText(values, at);
  const [value] = spliceValues(values, at, 1);
  const extras = arrayAt(holder, extrasKey(key)) ? padded(holder, extrasKey(key), length).splice(at, 1)[0] : undefined;
  tidy(holder, key);
  return { value, ...(isObject(extras) ? { extras } : {}), ...(decimal === undefined ? {} : { decimal }) };
}

export function moveElement(holder: JsonObject, key: string, from: number, to: number): void {
  insertElement(holder, key, to, takeItem(holder, key, from));
}

/** Replaces the element at `slot`: value and extensions alike, since the new value is a whole element. */
export function replaceElement(slot: Slot, key: string, element: ElementJson): void {
  const { holder } = slot;
  if (slot.index === undefined) {
    if (key !== slot.key) {
      delete holder[slot.key];
      delete holder[extrasKey(slot.key)];
    }
    setElement(holder, key, element);
    return;
  }
  const length = listLength(holder, key);
  putValue(padded(holder, key, length), slot.index, element.value, element.decimal);
  if (element.extras || arrayAt(holder, extrasKey(key))) padded(holder, extrasKey(key), length)[slot.index] = element.extras ?? null;
  tidy(holder, key);
}

export function removeElement(slot: Slot): void {
  const { holder, key } = slot;
  if (slot.index === undefined) {
    delete holder[key];
    delete holder[extrasKey(key)];
  } else {
    takeItem(holder, key, slot.index);
  }
  // The last extension or id of a primitive gone: its `_name` object goes too, and the element itself if it had no value.
  if (slot.primitive && Object.keys(holder).length === 0) removeExtras(slot.primitive);
}

function removeExtras(slot: Slot): void {
  const value = valueAt(slot);
  if (value === null || value === undefined) {
    removeElement(slot);
    return;
  }
  if (slot.index === undefined) {
    delete slot.holder[extrasKey(slot.key)];
    return;
  }
  const extras = arrayAt(slot.holder, extrasKey(slot.key));
  if (extras) extras[slot.index] = null;
  tidy(slot.holder, slot.key);
}
