import { BrandSchema } from './brands/brand.schema';
import { claimCommands } from './codes/claim-commands';
import { CodeSchema } from './codes/code.schema';
import {
  MAJORITY_READ,
  MAJORITY_WRITE,
  refuseWeakDurability,
  WeakDurabilityError,
  weakDurabilityOptions,
} from './durability';
import { GenerationJobChunkSchema, GenerationJobSchema } from './generation-jobs/generation-job.schema';
import { UserSchema } from './users/user.schema';

describe('the pinned concerns', () => {
  it('write with a journaled majority and read majority-committed data', () => {
    expect(MAJORITY_WRITE).toStrictEqual({ w: 'majority', j: true });
    expect(MAJORITY_READ).toStrictEqual({ level: 'majority' });
  });

  it('are on every write of brands, generation jobs, job chunks and users', () => {
    for (const schema of [BrandSchema, GenerationJobSchema, GenerationJobChunkSchema, UserSchema]) {
      expect(schema.get('writeConcern')).toStrictEqual({ w: 'majority', j: true });
    }
  });

  it('are not on the codes collection as a whole: bulk code inserts keep the default', () => {
    expect(CodeSchema.get('writeConcern')).toBeUndefined();
  });

  it('are on both findOneAndUpdate commands of a claim', () => {
    for (const command of claimCommands('brand', 'user', new Date(), undefined, 42)) {
      expect(command.options.writeConcern).toStrictEqual({ w: 'majority', j: true });
    }
  });
});

describe('weakDurabilityOptions', () => {
  it.each([
    'mongodb://127.0.0.1:27017/discounts',
    'mongodb://discounts-mongodb:27017/discounts?replicaSet=rs0',
    'mongodb://a:1,b:2,c:3/db?replicaSet=rs0&w=majority&journal=true&readConcernLevel=majority',
    'mongodb://h/db?readConcernLevel=linearizable&wtimeoutMS=5000&j=true',
    'mongodb+srv://user:p%3Fss@cluster.example.com/prod?retryWrites=true&w=majority',
  ])('accepts %s', (uri) => {
    expect(weakDurabilityOptions(uri)).toEqual([]);
  });

  it.each([
    ['mongodb://h/db?w=1', ['w=1']],
    ['mongodb://h/db?w=0', ['w=0']],
    // A count may be less than a majority of the set; a tag says where, not how many.
    ['mongodb://a,b,c,d,e/db?replicaSet=rs0&w=2', ['w=2']],
    ['mongodb://h/db?w=dc1', ['w=dc1']],
    ['mongodb://h/db?journal=false', ['journal=false']],
    ['mongodb://h/db?j=false', ['j=false']],
    ['mongodb://h/db?readConcernLevel=local', ['readConcernLevel=local']],
    ['mongodb://h/db?readConcernLevel=available', ['readConcernLevel=available']],
    // Option names are case-insensitive for the driver.
    [
      'mongodb://h/db?W=1&JOURNAL=false&readconcernlevel=local',
      ['W=1', 'JOURNAL=false', 'readconcernlevel=local'],
    ],
    ['mongodb://u:pw@a:1,b:2/db?replicaSet=rs0&w=1&appName=x', ['w=1']],
  ])('finds what weakens %s', (uri, weak) => {
    expect(weakDurabilityOptions(uri)).toEqual(weak);
  });
});

describe('refuseWeakDurability', () => {
  const refusalOf = (uri: string): WeakDurabilityError => {
    try {
      refuseWeakDurability({ uri, allowWeakDurability: false });
    } catch (error) {
      if (error instanceof WeakDurabilityError) return error;
      throw error;
    }
    throw new Error('expected a WeakDurabilityError');
  };

  it('refuses a weakening URI, naming the options and the override', () => {
    const error = refusalOf('mongodb://h/db?w=1&journal=false');
    expect(error.options).toEqual(['w=1', 'journal=false']);
    expect(error.message).toContain('MONGODB_URI sets w=1, journal=false');
    expect(error.message).toContain('MONGODB_ALLOW_WEAK_DURABILITY=true');
  });

  it('lets a weakening URI through when explicitly allowed', () => {
    expect(() =>
      refuseWeakDurability({ uri: 'mongodb://h/db?w=1', allowWeakDurability: true }),
    ).not.toThrow();
  });

  it('lets a URI that weakens nothing through', () => {
    expect(() =>
      refuseWeakDurability({ uri: 'mongodb://h/db?replicaSet=rs0', allowWeakDurability: false }),
    ).not.toThrow();
  });
});
