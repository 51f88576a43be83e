import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '@app/auth';
import { CreatedUserResponse, CreateUserRequest } from './user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @UseGuards(AdminGuard)
  @ApiOperation({
    summary: 'Register a user of the seed-compatible route (admin). The secret is shown once.',
  })
  @ApiResponse({ status: 201, type: CreatedUserResponse })
  @ApiResponse({ status: 409, description: 'user_exists' })
  register(@Body() body: CreateUserRequest): Promise<CreatedUserResponse> {
    return this.users.register(body.userId);
  }
}
