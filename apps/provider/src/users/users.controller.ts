import { Body, Controller, Delete, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '@app/auth';
import { Idempotent } from '@app/http';
import { CreatedUserResponse, CreateUserRequest, UserParams } from './user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
@UseGuards(AdminGuard)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    operationId: 'createUser',
    summary: 'Register a user of the seed-compatible route (admin). The secret is shown once.',
  })
  @ApiResponse({ status: 201, type: CreatedUserResponse })
  @ApiResponse({ status: 409, description: 'user_exists' })
  register(@Body() body: CreateUserRequest): Promise<CreatedUserResponse> {
    return this.users.register(body.userId);
  }

  @Post(':userId/secret')
  @Idempotent()
  @ApiOperation({
    operationId: 'rotateUserSecret',
    summary: 'Give the user a new secret (admin); the old one stops working at once',
  })
  @ApiResponse({ status: 201, type: CreatedUserResponse })
  @ApiResponse({ status: 404, description: 'not_found' })
  rotateSecret(@Param() params: UserParams): Promise<CreatedUserResponse> {
    return this.users.rotateSecret(params.userId);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteUser',
    summary: 'Delete the user (admin): their secret stops working; claimed codes stay theirs',
  })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, description: 'not_found' })
  async remove(@Param() params: UserParams): Promise<void> {
    await this.users.remove(params.userId);
  }
}
