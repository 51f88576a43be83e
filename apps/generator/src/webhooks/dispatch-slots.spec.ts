import { DispatchSlots } from './dispatch-slots';

describe('DispatchSlots', () => {
  it('a brand gets at most maxPerBrand slots, leaving the rest to others', () => {
    const slots = new DispatchSlots(5, 2);
    expect(slots.tryTake('slow')).toBe(true);
    expect(slots.tryTake('slow')).toBe(true);
    expect(slots.tryTake('slow')).toBe(false);
    expect(slots.fullBrands()).toEqual(['slow']);
    expect(slots.free()).toBe(3);
    expect(slots.tryTake('fast')).toBe(true);
    expect(slots.tryTake('other')).toBe(true);
    expect(slots.tryTake('third')).toBe(true);
    expect(slots.free()).toBe(0);
    expect(slots.tryTake('fourth')).toBe(false);
    expect(slots.inFlight()).toBe(5);
  });

  it('releasing frees the brand and the total', () => {
    const slots = new DispatchSlots(2, 1);
    expect(slots.tryTake('a')).toBe(true);
    expect(slots.fullBrands()).toEqual(['a']);
    slots.release('a');
    expect(slots.fullBrands()).toEqual([]);
    expect(slots.free()).toBe(2);
    expect(slots.tryTake('a')).toBe(true);
  });

  it('a brand’s slot comes back when its request is over, the overall one when the outcome is recorded', () => {
    const slots = new DispatchSlots(2, 1);
    expect(slots.tryTake('a')).toBe(true);
    slots.releaseBrand('a');
    expect(slots.fullBrands()).toEqual([]);
    expect(slots.free()).toBe(1);
    expect(slots.tryTake('a')).toBe(true);
    expect(slots.tryTake('b')).toBe(false);
    slots.releaseTotal();
    expect(slots.tryTake('b')).toBe(true);
  });

  it('refuses to release what was not taken (a bookkeeping bug must not go unnoticed)', () => {
    const slots = new DispatchSlots(2, 1);
    expect(() => slots.release('a')).toThrow('no slot of brand a to release');
    expect(() => slots.releaseTotal()).toThrow('no overall slot to release');
  });

  it('refuses limits below 1', () => {
    expect(() => new DispatchSlots(0, 1)).toThrow(RangeError);
    expect(() => new DispatchSlots(1, 0)).toThrow(RangeError);
  });
});
