import { defaultRoleFor, roleAllows } from './roles';

describe('roles', () => {
  it.each([
    ['admin', 'admin', true],
    ['admin', 'marketer', true],
    ['admin', 'viewer', true],
    ['marketer', 'admin', false],
    ['marketer', 'marketer', true],
    ['marketer', 'viewer', true],
    ['viewer', 'admin', false],
    ['viewer', 'marketer', false],
    ['viewer', 'viewer', true],
  ] as const)('%s allows %s: %s', (actual, required, expected) => {
    expect(roleAllows(actual, required)).toBe(expected);
  });

  it.each([
    ['GET', 'viewer'],
    ['head', 'viewer'],
    ['POST', 'marketer'],
    ['PUT', 'marketer'],
    ['PATCH', 'marketer'],
    ['DELETE', 'marketer'],
  ])('%s needs %s by default', (method, role) => {
    expect(defaultRoleFor(method)).toBe(role);
  });
});
