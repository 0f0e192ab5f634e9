import { Body, Controller, Get, Header, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Public, type Principal } from '../../auth/auth.decorators';
import { ApiZodBody, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../../common/zod-validation';
import { consentList, consentSet } from '../dto/consent-response.dto';
import { consentInputSchema, type ConsentInput } from '../dto/customer.dto';
import { channelSchema } from '../dto/suppression.dto';
import { confirmFormPage, confirmResultPage } from './consent-pages';
import { ConsentService } from './consent.service';
import { sourceOf } from '../principal-source';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:id/consents')
export class ConsentController {
  constructor(private readonly consent: ConsentService) {}

  /** Current consent per channel, and the history (newest first) with its proof. */
  @Get()
  @ApiZodResponse(200, consentList)
  list(@Param('id', IdPipe) id: number) {
    return this.consent.list(id);
  }

  /** `pending` on email sends the double opt-in email. */
  @Put(':channel')
  @ApiParam({ name: 'channel', enum: ['email', 'sms'] })
  @ApiZodBody(consentInputSchema)
  @ApiZodResponse(200, consentSet)
  set(
    @Param('id', IdPipe) id: number,
    @Param('channel') channel: string,
    @Body(new ZodPipe(consentInputSchema)) body: ConsentInput,
    @CurrentPrincipal() principal?: Principal,
  ) {
    return this.consent.set(id, parseOrThrow(channelSchema, channel, 'channel'), body, sourceOf(principal));
  }

  /** Sends the confirmation email again (and sets email consent to pending unless opted in). */
  @Post('email/confirmation')
  @ApiZodResponse(201, consentSet)
  requestConfirmation(@Param('id', IdPipe) id: number, @CurrentPrincipal() principal?: Principal) {
    return this.consent.requestConfirmation(id, sourceOf(principal));
  }
}

/** The double opt-in link of the confirmation email: public, verified by its signature. */
@ApiExcludeController()
@Public()
@Controller('consent/confirm')
export class ConsentConfirmController {
  constructor(private readonly consent: ConsentService) {}

  @Get(':token')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  form(@Param('token') token: string): string {
    return confirmFormPage(token);
  }

  @Post(':token')
  async confirm(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { status, html } = confirmResultPage(await this.consent.confirm(token, request.ip ?? null));
    response.status(status).type('html').set('cache-control', 'no-store').send(html);
  }
}
