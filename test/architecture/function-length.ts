/** Lines per function (declarations, methods, constructors, accessors, arrows, function expressions), via the TypeScript parser. */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import ts from 'typescript'

export interface FunctionLength {
  file: string
  name: string
  line: number
  lines: number
}

function nameOf(node: ts.Node): string {
  const named = node as {name?: ts.Node}
  if (named.name && ts.isIdentifier(named.name)) return named.name.text
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  const parent = node.parent
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text
  return '(anonymous)'
}

export function functionLengths(root: string, file: string, text = readFileSync(join(root, file), 'utf8')): FunctionLength[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const out: FunctionLength[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as {body?: ts.Node}).body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line
      out.push({file, name: nameOf(node), line: start + 1, lines: end - start + 1})
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}
