import { contentTypeOf } from './bundle';

describe('contentTypeOf', () => {
  test.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['graphql.worker.js', 'text/javascript; charset=utf-8'],
    ['app.css', 'text/css; charset=utf-8'],
    ['codicon.ttf', 'font/ttf'],
    // anything else in the folder (a source map, a stray file) is not served
    ['app.js.map', null],
    ['package.json', null],
    ['app', null],
  ])('%s', (fileName, expected) => {
    expect(contentTypeOf(fileName)).toBe(expected);
  });
});
