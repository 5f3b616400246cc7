import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/**
 * Sequelize models of the posts database (tables come from the migrations). The hot paths — keyset
 * lists, the feed, counters — are single SQL statements in domain/posts-service.ts; the models serve
 * tools and tests that inspect the data.
 */
export class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {
  declare id: CreationOptional<string>;
  declare authorId: string;
  declare text: string;
  declare mediaIds: CreationOptional<string[]>;
  declare likeCount: CreationOptional<number>;
  declare commentCount: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Like extends Model<InferAttributes<Like>, InferCreationAttributes<Like>> {
  declare postId: string;
  declare userId: string;
  declare createdAt: CreationOptional<Date>;
}

export class Comment extends Model<InferAttributes<Comment>, InferCreationAttributes<Comment>> {
  declare id: CreationOptional<string>;
  declare postId: string;
  declare authorId: string;
  declare text: string;
  declare createdAt: CreationOptional<Date>;
}

const uuidPk = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };

/** Binds the models to this service's Sequelize instance. */
export function initModels(sequelize: Sequelize): void {
  Post.init(
    {
      id: uuidPk,
      authorId: { type: DataTypes.UUID, allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: false },
      mediaIds: { type: DataTypes.ARRAY(DataTypes.UUID), allowNull: false, defaultValue: [] },
      likeCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      commentCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'posts', underscored: true },
  );
  Like.init(
    {
      postId: { type: DataTypes.UUID, primaryKey: true },
      userId: { type: DataTypes.UUID, primaryKey: true },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'likes', underscored: true, updatedAt: false },
  );
  Comment.init(
    {
      id: uuidPk,
      postId: { type: DataTypes.UUID, allowNull: false },
      authorId: { type: DataTypes.UUID, allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'comments', underscored: true, updatedAt: false },
  );
}
