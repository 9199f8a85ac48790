import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMandatory, notificationRules } from '../src/domain/notification-rules';

/** The rows of the README's table under "Which events notify whom", cell by cell, backticks off. */
function readmeRows(): string[][] {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.split('## Which events notify whom')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/`/g, '')),
    )
    .slice(2);
}

describe('the README', () => {
  it('lists every rule of the code table, in its order, with nothing else', () => {
    expect(readmeRows()).toEqual(
      notificationRules.map((rule) => [
        rule.type,
        rule.when ?? 'always',
        rule.kind,
        rule.recipients,
        isMandatory(rule.kind) ? 'yes' : 'no',
      ]),
    );
  });
});
