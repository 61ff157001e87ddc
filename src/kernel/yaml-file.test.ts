import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { displayPath, formatFieldPath, vietnameseErrorMap, yamlSyntaxIssues } from './yaml-file';

test.each<[PropertyKey[], string]>([
  [[], '(tệp)'],
  [['name'], 'name'],
  [['agencies', 2, 'code'], 'agencies[2].code'],
  [['requiredDocuments', 0], 'requiredDocuments[0]'],
  [[0, 'fees', 1, 'amount'], '[0].fees[1].amount'],
])('formatFieldPath(%j) is %s', (parts, expected) => {
  expect(formatFieldPath(parts, '(tệp)')).toBe(expected);
});

test('yamlSyntaxIssues says where, by line and column', () => {
  const document = YAML.parseDocument('slug: can-tho\nname: [Thành phố Cần Thơ\n', { prettyErrors: true });
  const [issue] = yamlSyntaxIssues(document);
  expect(issue.where).toMatch(/^dòng \d+, cột \d+$/);
  expect(issue.message).toMatch(/^lỗi cú pháp YAML: /);
  expect(yamlSyntaxIssues(YAML.parseDocument('slug: can-tho\n'))).toEqual([]);
});

describe('vietnameseErrorMap', () => {
  const schema = z.strictObject({ name: z.string(), kind: z.enum(['DEPARTMENT', 'PEOPLES_COMMITTEE']) });
  const messagesOf = (input: unknown) => schema.safeParse(input, { error: vietnameseErrorMap }).error!.issues.map((issue) => [issue.path.join('.'), issue.message]);

  test('a missing field, enum or not, is called missing', () => {
    expect(messagesOf({})).toEqual([
      ['name', 'thiếu trường bắt buộc'],
      ['kind', 'thiếu trường bắt buộc'],
    ]);
  });

  test('a wrong value gets zod\'s Vietnamese message', () => {
    const [[, message]] = messagesOf({ name: 'Sở Tư pháp', kind: 'MINISTRY' });
    expect(message).not.toBe('thiếu trường bắt buộc');
    expect(message).toMatch(/DEPARTMENT/);
  });
});

test.each([
  [path.join(process.cwd(), 'tenants', 'can-tho.yaml'), path.join('tenants', 'can-tho.yaml')],
  ['/elsewhere/an-giang.yaml', '/elsewhere/an-giang.yaml'],
])('displayPath(%s) is %s', (file, expected) => {
  expect(displayPath(file)).toBe(expected);
});
