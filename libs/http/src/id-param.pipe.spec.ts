import { DomainError } from '@app/contracts';
import { IdParamPipe } from './id-param.pipe';

describe('IdParamPipe', () => {
  const pipe = new IdParamPipe('brandId');

  it('passes an id through', () => {
    expect(pipe.transform('acme.coffee-2_b')).toBe('acme.coffee-2_b');
  });

  it.each(['', '-acme', 'a'.repeat(65), 'ac me', 'acme$', undefined, 42])(
    'refuses %p with invalid_input naming the parameter',
    (value) => {
      expect(() => pipe.transform(value)).toThrow(DomainError);
      expect(() => pipe.transform(value)).toThrow(/^Invalid input: brandId must be 1–64 characters/);
    },
  );
});
