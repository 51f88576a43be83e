import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { ID_PATTERN, ID_PATTERN_DESCRIPTION } from '@app/contracts';

export class CreateUserRequest {
  @ApiPropertyOptional({ example: 'alice', description: `Generated when omitted. ${ID_PATTERN_DESCRIPTION}` })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: `userId must be ${ID_PATTERN_DESCRIPTION}` })
  userId?: string;
}

export class CreatedUserResponse {
  @ApiProperty({ example: 'alice' }) userId!: string;
  @ApiProperty({
    description: 'Shown once; only a keyed hash (HMAC) of it is stored.',
    // Obviously fake: a documented example must never look like a usable secret.
    example: 'example-not-a-real-secret',
  })
  secret!: string;
}

export class UserParams {
  @ApiProperty({ example: 'alice', description: ID_PATTERN_DESCRIPTION })
  @IsString()
  @Matches(ID_PATTERN, { message: `userId must be ${ID_PATTERN_DESCRIPTION}` })
  userId!: string;
}
