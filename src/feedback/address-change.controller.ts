// Address-change proposals: the public confirmation link the new address gets (a page with a
// button; only the POST confirms, since mail scanners fetch every link), and the admin API
// that lists, accepts and rejects them.
import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Public, RequireRole, type Principal } from '../auth/auth.decorators';
import { ApiZodQuery, ApiZodResponse, IdPipe, parseOrThrow } from '../common/zod-validation';
import { keysetPage } from '../customers/keyset-page';
import { sourceOf } from '../customers/principal-source';
import { escapeHtml, maskAddress, publicPage } from '../tracking/tracking-pages';
import { AddressChangesService, type ConfirmResult } from './address-changes.service';
import { addressChangeListQuery } from './dto/feedback.dto';
import { addressChangeDecision, addressChangePage } from './dto/feedback-response.dto';

const RESULTS: Record<ConfirmResult, { status: number; ru: string; en: string }> = {
  confirmed: {
    status: 200,
    ru: 'Спасибо! Новый адрес подтверждён: письма будут приходить сюда.',
    en: 'Thank you: the new address is confirmed and mail will come here.',
  },
  already_confirmed: { status: 200, ru: 'Адрес уже подтверждён.', en: 'The address was already confirmed.' },
  decided: { status: 410, ru: 'Эта заявка уже рассмотрена.', en: 'This request has already been decided.' },
  invalid: { status: 404, ru: 'Ссылка неверна или повреждена.', en: 'This link is not valid.' },
};

@ApiTags('feedback')
@Controller()
export class AddressChangeController {
  constructor(private readonly changes: AddressChangesService) {}

  @Public()
  @ApiExcludeEndpoint()
  @Get('address-change/:token')
  async form(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const proposal = await this.changes.ofToken(token);
    const html = proposal
      ? publicPage(
          'Подтверждение адреса · Confirm the address',
          `<h1>Подтвердите новый адрес</h1><p>Письма для ${escapeHtml(maskAddress(proposal.oldAddress))} будут приходить на <strong>${escapeHtml(proposal.newAddress)}</strong>.</p>` +
            `<p lang="en" class="muted">Mail for ${escapeHtml(maskAddress(proposal.oldAddress))} will come to ${escapeHtml(proposal.newAddress)}.</p>` +
            `<form method="post" action="${escapeHtml(token)}"><button type="submit">Подтвердить · Confirm</button></form>`,
        )
      : publicPage('Ссылка не найдена', `<h1>Ссылка не найдена</h1><p>${RESULTS.invalid.ru}</p><p lang="en">${RESULTS.invalid.en}</p>`);
    response
      .status(proposal ? 200 : 404)
      .type('html')
      .set('cache-control', 'no-store')
      .send(html);
  }

  @Public()
  @ApiExcludeEndpoint()
  @Post('address-change/:token')
  async confirm(@Param('token') token: string, @Req() _request: Request, @Res() response: Response): Promise<void> {
    const result = RESULTS[await this.changes.confirm(token)];
    response
      .status(result.status)
      .type('html')
      .set('cache-control', 'no-store')
      .send(publicPage('Подтверждение адреса', `<h1>${escapeHtml(result.ru)}</h1><p lang="en">${escapeHtml(result.en)}</p>`));
  }

  /** Proposals, newest first (`status=pending` for those waiting). */
  @ApiBearerAuth()
  @Get('feedback/address-changes')
  @ApiZodQuery(addressChangeListQuery)
  @ApiZodResponse(200, addressChangePage)
  async list(@Query() query: unknown) {
    const filter = parseOrThrow(addressChangeListQuery, query, 'query');
    return keysetPage(await this.changes.list(filter), filter.limit);
  }

  @ApiBearerAuth()
  @RequireRole('admin')
  @Post('feedback/address-changes/:id/accept')
  @ApiZodResponse(201, addressChangeDecision)
  accept(@Param('id', IdPipe) id: number, @CurrentPrincipal() principal?: Principal) {
    return this.changes.accept(id, sourceOf(principal));
  }

  @ApiBearerAuth()
  @RequireRole('admin')
  @Post('feedback/address-changes/:id/reject')
  @ApiZodResponse(201, addressChangeDecision)
  reject(@Param('id', IdPipe) id: number, @CurrentPrincipal() principal?: Principal) {
    return this.changes.reject(id, sourceOf(principal));
  }
}
