import { Type } from 'typebox';

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});

export const MeUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  orgKind: Type.String(),
  locale: Type.Union([Type.String(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
});

export const SessionReply = Type.Object({ user: MeUser, csrfToken: Type.String() });

export const ChangePasswordBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 256 }),
});

export const UpdateMeBody = Type.Object({
  locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')]),
});
