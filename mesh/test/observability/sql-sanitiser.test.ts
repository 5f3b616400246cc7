import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitisedStatementAttributes, sanitiseSql, SQL_SANITISED_ATTRIBUTE } from '../../src/observability/sql-sanitiser.js';

describe('sanitiseSql', () => {
  it('replaces string, escape-string, dollar-quoted and numeric literals; keeps identifiers and bind parameters', () => {
    expect(
      sanitiseSql(
        `SELECT "id", "password_hash" FROM "users" AS "User" WHERE ("User"."email" = 'ann@example.com' OR "User"."username" = 'ann_1') LIMIT 1;`,
      ),
    ).toBe(`SELECT "id", "password_hash" FROM "users" AS "User" WHERE ("User"."email" = ? OR "User"."username" = ?) LIMIT ?;`);
    expect(sanitiseSql(`SELECT * FROM sessions WHERE token_hash = E'\\x3f2a' AND n = 42 AND f = 3.5e2 AND t > '2026-01-01'`)).toBe(
      'SELECT * FROM sessions WHERE token_hash = ? AND n = ? AND f = ? AND t > ?',
    );
    expect(sanitiseSql(`UPDATE t SET a = $1, b = $2 WHERE c = $$it's a secret$$ AND d = $tag$x$tag$`)).toBe(
      'UPDATE t SET a = $1, b = $2 WHERE c = ? AND d = ?',
    );
    expect(sanitiseSql(`INSERT INTO "t" ("col1", "x2") VALUES ('O''Brien', 7) RETURNING "id"`)).toBe(
      'INSERT INTO "t" ("col1", "x2") VALUES (?, ?) RETURNING "id"',
    );
  });

  it('drops comments (a quote in a comment starts nothing) and keeps quoted identifiers with digits', () => {
    expect(sanitiseSql(`SELECT "col 2" FROM t -- it's 'x'\nWHERE a = 'y' /* 'z' */`)).toBe('SELECT "col 2" FROM t WHERE a = ?');
    expect(sanitiseSql('SELECT t1.c2 FROM t1')).toBe('SELECT t1.c2 FROM t1');
  });

  it("never lets a string literal's content through, whatever it holds", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (value) => {
        const literal = `'${value.replace(/'/g, "''")}'`;
        const out = sanitiseSql(`SELECT id FROM users WHERE login = ${literal} AND x = $1`);
        expect(out).toBe('SELECT id FROM users WHERE login = ? AND x = $1');
      }),
    );
  });

  it('cuts very long statements', () => {
    expect(sanitiseSql(`INSERT INTO t VALUES ${'($1), '.repeat(1000)}($2)`).length).toBeLessThanOrEqual(2_001);
  });
});

describe('sanitisedStatementAttributes (every query span)', () => {
  it('gives the sanitised statement under both keys and the marker', () => {
    expect(sanitisedStatementAttributes("SELECT 1 FROM users WHERE email = 'ann@example.com'")).toEqual({
      'db.query.text': 'SELECT ? FROM users WHERE email = ?',
      'db.statement': 'SELECT ? FROM users WHERE email = ?',
      [SQL_SANITISED_ATTRIBUTE]: true,
    });
  });
});
