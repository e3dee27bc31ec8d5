import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthConfigDto, DemoPersonDto, LocalSessionDto, LocalSessionRequestDto } from './dto/sign-in.dto';
import { LocalSessionsService } from './local-sessions.service';
import { LocalSignInRoute, SignInRoute } from './sign-in.decorators';

@ApiTags('auth')
@Controller('auth')
export class SignInController {
  constructor(private readonly sessions: LocalSessionsService) {}

  @Get('config')
  @SignInRoute('How the console signs people in: local demo people or an OpenID provider', AuthConfigDto)
  config(): AuthConfigDto {
    return this.sessions.authConfig();
  }

  @Get('local/people')
  @LocalSignInRoute('The demo people one may sign in as (embedded default only)', [DemoPersonDto])
  people(): DemoPersonDto[] {
    return this.sessions.listPeople();
  }

  @Post('local/sessions')
  @HttpCode(200)
  @LocalSignInRoute('Sign in as a demo person: a bearer token signed by the local key', LocalSessionDto)
  signIn(@Body() body: LocalSessionRequestDto): Promise<LocalSessionDto> {
    return this.sessions.startSession(body.personId, body.locale);
  }
}
