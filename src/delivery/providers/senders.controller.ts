// /senders: who messages come from (address, name, reply-to, bounce domain, feedback id) and
// through which provider. Any role reads; only admins create, edit and disable.
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../auth/auth.decorators';
import { ApiZodBody, ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow, ZodPipe } from '../../common/zod-validation';
import { senderDnsReport, senderList, senderView } from '../dto/sender-response.dto';
import { createSenderSchema, senderListQuery, updateSenderSchema, type CreateSenderBody, type UpdateSenderBody } from '../dto/sender.dto';
import { ProvidersService } from './providers.service';
import { SenderDnsService } from '../dns/sender-dns.service';

@ApiTags('senders')
@ApiBearerAuth()
@Controller('senders')
export class SendersController {
  constructor(
    private readonly providers: ProvidersService,
    private readonly dns: SenderDnsService,
  ) {}

  @Get()
  @ApiZodQuery(senderListQuery)
  @ApiZodResponse(200, senderList)
  list(@Query() query: unknown) {
    return this.providers.listSenders(parseOrThrow(senderListQuery, query, 'query'));
  }

  @Get(':id')
  @ApiZodResponse(200, senderView)
  get(@Param('id', IdPipe) id: number) {
    return this.providers.getSender(id);
  }

  @Post()
  @RequireRole('admin')
  @ApiZodBody(createSenderSchema)
  @ApiZodResponse(201, senderView, 'Created')
  create(@Body(new ZodPipe(createSenderSchema)) body: CreateSenderBody) {
    return this.providers.createSender(body);
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiZodBody(updateSenderSchema)
  @ApiZodResponse(200, senderView)
  update(@Param('id', IdPipe) id: number, @Body(new ZodPipe(updateSenderSchema)) body: UpdateSenderBody) {
    return this.providers.updateSender(id, body);
  }

  /**
   * The SPF, DKIM and DMARC records the sender's domains should publish and, where DNS answers,
   * whether they are in place and aligned with the From domain (nothing is changed).
   */
  @Get(':id/dns-check')
  @ApiZodResponse(200, senderDnsReport)
  dnsCheck(@Param('id', IdPipe) id: number) {
    return this.dns.check(id);
  }

  /** Campaigns that name it send as the server's default sender (MAIL_FROM) instead. */
  @Post(':id/disable')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiZodResponse(200, senderView)
  disable(@Param('id', IdPipe) id: number) {
    return this.providers.updateSender(id, { active: false });
  }
}
