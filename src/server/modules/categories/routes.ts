import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../lib/context.js';
import { allow } from '../../http/auth.js';
import { ErrorBody } from '../../lib/paging.js';
import { readUpload, templateWorkbook, XLSX_MIME } from '../../lib/imports.js';
import { Category, CategoryList, CreateCategoryBody, IdParams, ImportResult, ListCategoriesQuery, UpdateCategoryBody, VersionBody } from './schema.js';
import {
  CATEGORY_COLUMNS,
  createCategory,
  deactivateCategory,
  exportCategoriesXlsx,
  getCategory,
  importCategories,
  listCategories,
  updateCategory,
  type CreateCategoryInput,
  type UpdateCategoryInput,
} from './service.js';
import type { CategoryListFilter } from './repo.js';
import { contentDisposition } from '../../http/disposition.js';

const tags = ['categories'];
const id = (req: { params: unknown }) => (req.params as { id: number }).id;

/** 问题类别: 事件/部件 大类 and 小类 with their filing and closing conditions and time limits. */
export async function categoriesModule(app: FastifyInstance, deps: Deps) {
  app.get(
    '/api/v1/categories',
    { schema: { tags, summary: 'All categories (大类 and 小类, in code order; build the tree from parentId)', querystring: ListCategoriesQuery, response: { 200: CategoryList } } },
    async (req) => listCategories(deps, allow(req, 'category.read'), req.query as CategoryListFilter),
  );

  app.get('/api/v1/categories/export.xlsx', { schema: { tags, summary: 'Categories as .xlsx (the import layout)', querystring: ListCategoriesQuery } }, async (req, reply) => {
    const buf = await exportCategoriesXlsx(deps, allow(req, 'category.read'), req.query as CategoryListFilter);
    return reply.type(XLSX_MIME).header('content-disposition', contentDisposition('categories.xlsx')).send(buf);
  });

  app.get('/api/v1/categories/import-template.xlsx', { schema: { tags, summary: 'Excel template for category import' } }, async (req, reply) => {
    allow(req, 'category.write');
    const buf = await templateWorkbook(CATEGORY_COLUMNS, '问题类别', ['事件', '1408', '占用消防通道', 'Blocked fire lane', '车辆、杂物占用消防通道', '消防通道畅通', '2', '工作时', '否', 'guard', '是', '', '启用']);
    return reply.type(XLSX_MIME).header('content-disposition', contentDisposition('categories-template.xlsx')).send(buf);
  });

  app.get('/api/v1/categories/:id', { schema: { tags, summary: 'One category', params: IdParams, response: { 200: Category, 404: ErrorBody } } }, async (req) =>
    getCategory(deps, allow(req, 'category.read'), id(req)),
  );

  app.post('/api/v1/categories', { schema: { tags, summary: 'Create a 大类 or 小类 (a 小类 needs its 大类 and a time limit)', body: CreateCategoryBody, response: { 200: Category, 400: ErrorBody, 409: ErrorBody } } }, async (req) =>
    createCategory(deps, allow(req, 'category.write'), req.body as CreateCategoryInput),
  );

  app.patch(
    '/api/v1/categories/:id',
    { schema: { tags, summary: 'Edit a category (code and kind are permanent)', params: IdParams, body: UpdateCategoryBody, response: { 200: Category, 400: ErrorBody, 409: ErrorBody } } },
    async (req) => updateCategory(deps, allow(req, 'category.write'), id(req), req.body as UpdateCategoryInput),
  );

  app.post(
    '/api/v1/categories/:id/deactivate',
    { schema: { tags, summary: 'Deactivate a category (a 大类 only once its 小类 are inactive)', params: IdParams, body: VersionBody, response: { 200: Category, 409: ErrorBody } } },
    async (req) => deactivateCategory(deps, allow(req, 'category.write'), id(req), (req.body as { version: number }).version),
  );

  app.post('/api/v1/categories/import', { schema: { tags, summary: 'Import categories from .xlsx (new codes are created, known codes updated; all or nothing)', consumes: ['multipart/form-data'], response: { 200: ImportResult } } }, async (req) => {
    const actor = allow(req, 'category.write');
    const file = await readUpload(req);
    return importCategories(deps, actor, file.data);
  });
}
