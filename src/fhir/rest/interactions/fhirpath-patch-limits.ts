/**
 * What a FHIRPath Patch path may say, so that evaluating it costs at most in
 * proportion to the resource it patches (http://hl7.org/fhir/R4/fhirpatch.html).
 *
 * The path is the client's code, run on the server's main thread by
 * fhirpath.js, which has no budget and cannot be interrupted: ten-item
 * literals nested in six select() took 27 s and 1 GB. A patch path only has
 * to find an element ("Patient.name.where(use='official').given",
 * "Observation.component[1].value", "extension('url')", "ofType(Quantity)",
 * "first()"), so rather than time a general program, the path is held to a
 * subset of FHIRPath whose cost is bounded by its shape, checked on its syntax
 * tree before it runs:
 *
 * - every collection it builds is a set of distinct elements of the resource
 *   (navigation and filters: where, first, ofType…) or a literal: no select(),
 *   repeat(), descendants(), combine(), aggregate(), iif(), which make
 *   collections larger than the resource or grow them step after step;
 * - every function and operator costs in proportion to its input: no union
 *   (`|`, union(), distinct(), intersect(), which fhirpath.js compares item by
 *   item), no regular expressions (matches(): backtracking), no replace()
 *   (a string that grows with each call);
 * - inside a criteria (the argument of where(), exists(), all(), evaluated
 *   once per item), the path starts from $this and stays in its subtree: no
 *   %resource, no resolve(). Each criteria level then multiplies the work by
 *   at most the depth of the resource's tree, not by its size; and criteria
 *   nest at most MAX_CRITERIA_NESTING deep;
 * - the path takes at most MAX_STEPS steps (names and function calls), each
 *   of which visits at most the resource once per enclosing criteria level,
 *   and is at most MAX_PATH_LENGTH characters (literals, the parser's recursion).
 *
 * The work is then at most about steps × resource size × depth³: in practice
 * a few times what reading the resource costs (a 3.7 MB Patient of 20,000
 * identifiers: 0.1 to 0.7 s for the costliest paths allowed).
 */

/** A node of fhirpath.js's syntax tree (fhirpath.parse). */
export interface AstNode {
  readonly type?: string;
  readonly text?: string;
  readonly start?: { readonly line: number; readonly column: number };
  readonly length?: number;
  readonly children?: readonly AstNode[];
}

/** Paths clients send are tens of characters; a thousand leaves room for long urls in extension(). */
export const MAX_PATH_LENGTH = 1000;

/** "Observation.component.where(code.coding.where(system = 'x' and code = 'y').exists()).value" takes 11. */
export const MAX_STEPS = 32;

/** where() in where() in where(): three levels is more than any element needs to be found. */
export const MAX_CRITERIA_NESTING = 3;

/** Functions that evaluate their argument once per item of their input. */
const CRITERIA: ReadonlySet<string> = new Set(['where', 'exists', 'all']);

/** Functions whose output is part of their input or a single value, at a cost in proportion to their input. */
const FUNCTIONS: ReadonlySet<string> = new Set([
  ...CRITERIA,
  'first', 'last', 'tail', 'skip', 'take', 'single', 'ofType', 'extension', 'is', 'as',
  'empty', 'count', 'not', 'hasValue', 'allTrue', 'anyTrue', 'allFalse', 'anyFalse',
  'startsWith', 'endsWith', 'contains', 'lower', 'upper', 'length', 'substring', 'indexOf',
  'toString', 'toInteger', 'toDecimal',
]);

/** Allowed on the path itself only, not in an argument: each leads out of the subtree of $this. */
const MAIN_LINE_FUNCTIONS: ReadonlySet<string> = new Set(['resolve']);
const MAIN_LINE_CONSTANTS: ReadonlySet<string> = new Set(['resource', 'rootResource', 'context']);
/** Constants that are strings (fhirpath.html#environment-variables), allowed anywhere. */
const STRING_CONSTANTS: ReadonlySet<string> = new Set(['ucum', 'sct', 'loinc']);

/** The grammar's nodes a permitted path is made of: no union, no $total, no instance selector, no sort(). */
const NODE_TYPES: ReadonlySet<string> = new Set([
  'EntireExpression', 'TermExpression', 'InvocationExpression', 'IndexerExpression', 'PolarityExpression',
  'MultiplicativeExpression', 'AdditiveExpression', 'TypeExpression', 'InequalityExpression', 'EqualityExpression',
  'MembershipExpression', 'AndExpression', 'OrExpression', 'XorExpression', 'ImpliesExpression',
  'InvocationTerm', 'LiteralTerm', 'ExternalConstantTerm', 'ParenthesizedTerm', 'ExternalConstant',
  'MemberInvocation', 'FunctionInvocation', 'ThisInvocation', 'IndexInvocation', 'Functn', 'ParamList',
  'Identifier', 'TypeSpecifier', 'QualifiedIdentifier',
  'NullLiteral', 'BooleanLiteral', 'StringLiteral', 'NumberLiteral', 'LongNumberLiteral', 'DateLiteral',
  'DateTimeLiteral', 'TimeLiteral', 'QuantityLiteral', 'Quantity', 'Unit', 'DateTimePrecision', 'PluralDateTimePrecision',
]);

/** What a node is, in a message. */
const NAMED: Readonly<Record<string, string>> = {
  UnionExpression: 'the union operator |',
  TotalInvocation: '$total',
  InstanceSelectorTerm: 'an instance selector',
  InstanceSelector: 'an instance selector',
  SortArgument: 'sort()',
  SortDirectionArgument: 'sort()',
};

/** How many names and function calls the path holds. */
function steps(node: AstNode): number {
  const own = node.type === 'MemberInvocation' || node.type === 'FunctionInvocation' ? 1 : 0;
  return (node.children ?? []).reduce((sum, child) => sum + steps(child), own);
}

interface Where {
  /** Within a function's argument or an indexer's index. */
  readonly inArgument: boolean;
  /** How many criteria enclose the node. */
  readonly criteria: number;
}

/** A name as written, `backticks` or 'quotes' removed. */
function unquoted(text: string): string {
  return /^([`'"]).*\1$/s.test(text) ? text.slice(1, -1) : text;
}

/** The name of a function or an external constant: the text of its first identifier or string. */
function nameOf(node: AstNode): string {
  for (const child of node.children ?? []) {
    if ((child.type === 'Identifier' || child.type === 'StringLiteral') && child.text !== undefined) return unquoted(child.text);
    const inner = nameOf(child);
    if (inner !== '') return inner;
  }
  return '';
}

/** Whether a function call evaluates an argument once per item: where(…), exists(…), all(…), not exists(). */
function isCriteria(node: AstNode): boolean {
  const functn = node.children?.[0];
  return CRITERIA.has(nameOf(node)) && (functn?.children ?? []).some((child) => child.type === 'ParamList');
}

function functionRefusal(node: AstNode, where: Where): string | undefined {
  const name = nameOf(node);
  if (MAIN_LINE_FUNCTIONS.has(name)) {
    return where.inArgument ? `${name}() may be used on the path itself, not inside a function's argument or an index` : undefined;
  }
  if (!FUNCTIONS.has(name)) {
    return `the function ${name}() is not allowed in a patch path, which only finds an element (allowed: ${[...FUNCTIONS, ...MAIN_LINE_FUNCTIONS].map((f) => `${f}()`).join(', ')})`;
  }
  if (isCriteria(node) && where.criteria >= MAX_CRITERIA_NESTING) {
    return `criteria (where(), exists(), all()) nest at most ${MAX_CRITERIA_NESTING} deep in a patch path`;
  }
  return undefined;
}

function constantRefusal(node: AstNode, where: Where): string | undefined {
  const name = nameOf(node);
  if (STRING_CONSTANTS.has(name)) return undefined;
  if (!MAIN_LINE_CONSTANTS.has(name)) return `%${name} is not available in a patch path`;
  return where.inArgument ? `%${name} may start the path itself, not a function's argument or an index` : undefined;
}

/** Why the node (and what it holds) is refused, or undefined. */
function refusalIn(node: AstNode, where: Where): string | undefined {
  const type = node.type ?? '';
  if (!NODE_TYPES.has(type)) return `${NAMED[type] ?? type} is not allowed in a patch path`;
  let inner = where;
  if (type === 'FunctionInvocation') {
    const refused = functionRefusal(node, where);
    if (refused !== undefined) return refused;
    if (isCriteria(node)) inner = { ...where, criteria: where.criteria + 1 };
  } else if (type === 'ExternalConstantTerm') {
    const refused = constantRefusal(node, where);
    if (refused !== undefined) return refused;
  } else if (type === 'ParamList') {
    inner = { ...where, inArgument: true };
  }
  const children = node.children ?? [];
  for (const [i, child] of children.entries()) {
    // An indexer's second child is its index, evaluated like an argument.
    const at = type === 'IndexerExpression' && i === 1 ? { ...inner, inArgument: true } : inner;
    const refused = refusalIn(child, at);
    if (refused !== undefined) return refused;
  }
  return undefined;
}

/** Why a parsed path is refused, in the client's terms; undefined when it may run. */
export function pathRefusal(ast: AstNode): string | undefined {
  const count = steps(ast);
  if (count > MAX_STEPS) return `a patch path takes at most ${MAX_STEPS} steps (names and function calls), not ${count}`;
  return refusalIn(ast, { inArgument: false, criteria: 0 });
}

/** Whether the path calls resolve(), which then needs the resource's contained resources at hand. */
export function callsResolve(ast: AstNode): boolean {
  if (ast.type === 'FunctionInvocation' && nameOf(ast) === 'resolve') return true;
  return (ast.children ?? []).some(callsResolve);
}
