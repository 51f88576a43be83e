import { ValidateBy } from 'class-validator';
import { metadataProblem } from '@app/contracts';

/** A campaign's or a redemption's `metadata` field: bounded, with metadataProblem's message. */
export const BoundedMetadata = () =>
  ValidateBy({
    name: 'isBoundedMetadata',
    validator: {
      validate: (value: unknown) => metadataProblem(value) === null,
      defaultMessage: (args) => metadataProblem(args?.value) ?? 'metadata is invalid',
    },
  });
