import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type UserStatus = 'active' | 'suspended' | 'deleted';

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<string>;
  declare username: string;
  declare email: string;
  declare passwordHash: string;
  declare roles: CreationOptional<string[]>;
  declare status: CreationOptional<UserStatus>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class RefreshFamily extends Model<InferAttributes<RefreshFamily>, InferCreationAttributes<RefreshFamily>> {
  declare id: CreationOptional<string>;
  declare userId: string;
  declare revokedAt: Date | null;
  declare revokedReason: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class RefreshToken extends Model<InferAttributes<RefreshToken>, InferCreationAttributes<RefreshToken>> {
  declare id: CreationOptional<string>;
  declare familyId: string;
  declare tokenHash: string;
  declare expiresAt: Date;
  declare rotatedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class SigningKey extends Model<InferAttributes<SigningKey>, InferCreationAttributes<SigningKey>> {
  declare kid: string;
  declare algorithm: string;
  declare publicJwk: Record<string, unknown>;
  declare privateKeyCiphertext: string;
  declare activatedAt: Date;
  declare retiredAt: Date | null;
  declare publishedUntil: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class AuditEvent extends Model<InferAttributes<AuditEvent>, InferCreationAttributes<AuditEvent>> {
  declare id: CreationOptional<string>;
  declare occurredAt: CreationOptional<Date>;
  declare action: string;
  declare outcome: string;
  declare actorId: string | null;
  declare targetId: string | null;
  declare ip: string | null;
  declare details: CreationOptional<Record<string, unknown>>;
}

const uuidPk = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };
const timestamps = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };

/** Binds the models to this service's Sequelize instance (tables come from the migrations). */
export function initModels(sequelize: Sequelize): void {
  User.init(
    {
      id: uuidPk,
      username: { type: DataTypes.TEXT, allowNull: false },
      email: { type: DataTypes.TEXT, allowNull: false },
      passwordHash: { type: DataTypes.TEXT, allowNull: false },
      roles: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: ['user'] },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'active' },
      ...timestamps,
    },
    { sequelize, tableName: 'users', underscored: true },
  );
  RefreshFamily.init(
    {
      id: uuidPk,
      userId: { type: DataTypes.UUID, allowNull: false },
      revokedAt: { type: DataTypes.DATE, allowNull: true },
      revokedReason: { type: DataTypes.TEXT, allowNull: true },
      ...timestamps,
    },
    { sequelize, tableName: 'refresh_families', underscored: true },
  );
  RefreshToken.init(
    {
      id: uuidPk,
      familyId: { type: DataTypes.UUID, allowNull: false },
      tokenHash: { type: DataTypes.TEXT, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      rotatedAt: { type: DataTypes.DATE, allowNull: true },
      ...timestamps,
    },
    { sequelize, tableName: 'refresh_tokens', underscored: true },
  );
  SigningKey.init(
    {
      kid: { type: DataTypes.TEXT, primaryKey: true },
      algorithm: { type: DataTypes.TEXT, allowNull: false },
      publicJwk: { type: DataTypes.JSONB, allowNull: false },
      privateKeyCiphertext: { type: DataTypes.TEXT, allowNull: false },
      activatedAt: { type: DataTypes.DATE, allowNull: false },
      retiredAt: { type: DataTypes.DATE, allowNull: true },
      publishedUntil: { type: DataTypes.DATE, allowNull: true },
      ...timestamps,
    },
    { sequelize, tableName: 'signing_keys', underscored: true },
  );
  AuditEvent.init(
    {
      id: uuidPk,
      occurredAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      action: { type: DataTypes.TEXT, allowNull: false },
      outcome: { type: DataTypes.TEXT, allowNull: false },
      actorId: { type: DataTypes.UUID, allowNull: true },
      targetId: { type: DataTypes.UUID, allowNull: true },
      ip: { type: DataTypes.TEXT, allowNull: true },
      details: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    },
    { sequelize, tableName: 'audit_events', underscored: true, timestamps: false },
  );
  RefreshFamily.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  RefreshToken.belongsTo(RefreshFamily, { foreignKey: 'familyId', as: 'family' });
}
