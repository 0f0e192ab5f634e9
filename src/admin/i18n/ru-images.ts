// Russian messages of the images upload (the content studio's asset manager), spread into the
// one catalogue (ru.ts). {file} is the uploaded file's name.
import type { Message } from './ru';

export const ruImages = {
  'img.noFile': 'Выберите файл изображения: PNG, JPEG, GIF или WebP.',
  'img.empty': '«{file}» — пустой файл: загрузите изображение PNG, JPEG, GIF или WebP.',
  'img.svg': '«{file}» — изображение SVG: SVG не принимается (в нём могут быть скрипты). Загрузите PNG, JPEG, GIF или WebP.',
  'img.type': '«{file}» — не изображение PNG, JPEG, GIF или WebP (проверяется содержимое, а не имя файла).',
  'img.unreadable': '«{file}» похож на {type}, но не читается: файл повреждён или обрезан.',
  'img.size': '«{file}» больше допустимого: изображение может весить не больше {limit}.',
  'img.dimensions': '«{file}» — {width}×{height} пикселей: изображение может быть не больше {limit}×{limit} пикселей.',
} satisfies Record<string, Message>;
